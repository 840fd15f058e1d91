import { data, redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import {
  getRecommendationForEditing,
  removeRecommendation,
  updateRecommendation,
} from '~/.server/consultations';
import { handler, submitForm } from '~/.server/http';
import { OrganiseRecommendationSchema } from '~/lib/schemas/consultations';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ConfirmChange } from '~/ui/confirm-change';
import { ErrorSummary } from '~/ui/form';
import { RecommendationFields, recommendationLabels } from '~/ui/recommendation-fields';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Edit ${data?.recommendation.title ?? 'recommendation'} – Open Consultation` },
];

export const loader = handler(async ({ db, viewer, params }) =>
  getRecommendationForEditing(db, params.slug!, params.recommendation!, viewer),
);

export const action = handler(async ({ request, db, viewer, params, ctx }) =>
  submitForm(request, OrganiseRecommendationSchema, async (input) => {
    const [slug, recommendation] = [params.slug!, params.recommendation!];
    if (input.intent === 'save') {
      const outcome = await updateRecommendation(db, viewer, slug, recommendation, input, ctx);
      if (outcome.status === 'needs-confirmation') {
        return data({
          confirm: outcome.change,
          values: {
            intent: 'save',
            version: String(input.version),
            title: input.title,
            summary: input.summary,
            rationale: input.rationale,
          },
        });
      }
      return redirect(`/organise/${slug}?saved=recommendation#recommendations`);
    }
    await removeRecommendation(db, viewer, slug, recommendation, input.version, ctx);
    return redirect(`/organise/${slug}?saved=removed#recommendations`);
  }),
);

const CONFIRM_HEADINGS = {
  retitled: 'Confirm the new title',
  named: 'Confirm naming this recommendation',
  moved: 'Confirm the new order',
} as const;

export default function EditRecommendation() {
  const { consultation: c, recommendation: r, locked } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const confirm = actionData && 'confirm' in actionData ? actionData : undefined;
  const feedback = actionData && !('confirm' in actionData) ? actionData : undefined;
  // What was typed stays in the form while the change waits for confirmation, or was refused.
  const typed = confirm?.values ?? (feedback?.values?.intent === 'save' ? feedback.values : null);
  const editFeedback = feedback?.values?.intent === 'save' ? feedback : undefined;
  const placeholder = r.state === 'placeholder';
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/organise', label: 'Organise' },
          { to: `/organise/${c.slug}`, label: c.title },
        ]}
      />
      <h1>
        <span className="caption">
          {placeholder ? 'Name recommendation' : 'Edit recommendation'} {r.number}
        </span>
        {r.title}
      </h1>
      <ErrorSummary feedback={feedback} labels={recommendationLabels} />
      {confirm ? (
        <ConfirmChange
          heading={CONFIRM_HEADINGS[confirm.confirm.kind]}
          statements={confirm.confirm.statements}
          values={confirm.values}
          confirmLabel={
            confirm.confirm.kind === 'named' ? 'Yes, name and open it' : 'Yes, change the title'
          }
          cancelTo={`/organise/${c.slug}/recommendations/${r.slug}`}
        />
      ) : null}
      {locked ? (
        <div className="notice notice--warning">
          <p>
            This consultation has closed, so the text of its recommendations is locked: it must stay
            what respondents answered. Corrections will be made through correction notes on the
            published summary.
          </p>
        </div>
      ) : (
        <>
          {placeholder ? (
            <div className="notice">
              <p>
                This recommendation is a placeholder: it is listed publicly as not yet open for
                comment, because the source does not name it. Give it its title and text, then save
                to open it for answers, comments and endorsements.
              </p>
            </div>
          ) : null}
          <Form method="post" className="form" noValidate key={typed ? 'typed' : 'saved'}>
            <input type="hidden" name="version" value={r.version} />
            <RecommendationFields
              feedback={editFeedback ?? (typed ? { values: typed } : undefined)}
              defaults={{ title: r.title, summary: r.summary, rationale: r.rationale }}
            />
            <div className="button-row">
              <SubmitButton name="intent" value="save" pendingText="Saving…">
                {placeholder ? 'Name and open recommendation' : 'Save recommendation'}
              </SubmitButton>
              <Link to={`/consultations/${c.slug}/recommendations/${r.slug}`}>
                View public page
              </Link>
            </div>
          </Form>
        </>
      )}
      {c.status === 'draft' ? (
        <section aria-labelledby="remove-heading">
          <h2 id="remove-heading">Remove this recommendation</h2>
          <p>The consultation is still a draft, so you can remove it. The others are renumbered.</p>
          <Form method="post">
            <input type="hidden" name="version" value={r.version} />
            <SubmitButton name="intent" value="remove" variant="warning" pendingText="Removing…">
              Remove recommendation
            </SubmitButton>
          </Form>
        </section>
      ) : null}
    </>
  );
}
