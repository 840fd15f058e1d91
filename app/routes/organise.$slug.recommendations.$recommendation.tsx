import { redirect, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import {
  getRecommendationForEditing,
  removeRecommendation,
  updateRecommendation,
} from '~/.server/consultations';
import { handler, submitForm } from '~/.server/http';
import { OrganiseRecommendationSchema } from '~/lib/schemas/consultations';
import { Breadcrumbs } from '~/ui/breadcrumbs';
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
      await updateRecommendation(db, viewer, slug, recommendation, input, ctx);
      return redirect(`/organise/${slug}?saved=recommendation#recommendations`);
    }
    await removeRecommendation(db, viewer, slug, recommendation, input.version, ctx);
    return redirect(`/organise/${slug}?saved=removed#recommendations`);
  }),
);

export default function EditRecommendation() {
  const { consultation: c, recommendation: r } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const editFeedback = feedback?.values?.intent === 'save' ? feedback : undefined;
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/organise', label: 'Organise' },
          { to: `/organise/${c.slug}`, label: c.title },
        ]}
      />
      <h1>
        <span className="caption">Edit recommendation {r.number}</span>
        {r.title}
      </h1>
      <ErrorSummary feedback={feedback} labels={recommendationLabels} />
      <Form method="post" className="form" noValidate>
        <input type="hidden" name="version" value={r.version} />
        <RecommendationFields
          feedback={editFeedback}
          defaults={{ title: r.title, summary: r.summary, rationale: r.rationale }}
        />
        <div className="button-row">
          <SubmitButton name="intent" value="save" pendingText="Saving…">
            Save recommendation
          </SubmitButton>
          <Link to={`/consultations/${c.slug}/recommendations/${r.slug}`}>View public page</Link>
        </div>
      </Form>
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
