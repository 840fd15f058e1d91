import { data, redirect, type LinksFunction, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import {
  changeConsultationStatus,
  getConsultationForEditing,
  moveRecommendation,
  updateConsultation,
} from '~/.server/consultations';
import { handler, submitForm } from '~/.server/http';
import { getNoticeForEditing, updateConsultationNotice } from '~/.server/privacy';
import { getLifecycleChecklist } from '~/.server/summaries';
import { DELETION_POLICY_LABELS } from '~/lib/privacy';
import { OrganiseConsultationSchema } from '~/lib/schemas/consultations';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ConfirmChange } from '~/ui/confirm-change';
import { datesSentence } from '~/ui/consultation-card';
import { ConsultationFields, consultationLabels } from '~/ui/consultation-fields';
import { ErrorSummary, Radios, TextArea, TextInput } from '~/ui/form';
import { PhaseTag } from '~/ui/phase-tag';
import { SubmitButton } from '~/ui/submit-button';
import { ScrollRegion } from '~/ui/scroll-region';
import { LifecycleChecklist } from '~/ui/summary-editor';
import editorStyles from '~/styles/summary-editor.css?url';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: editorStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Edit ${data?.consultation.title ?? 'consultation'} – Open Consultation` },
];

export const loader = handler(async ({ db, viewer, params }) => ({
  ...(await getConsultationForEditing(db, params.slug!, viewer)),
  privacy: await getNoticeForEditing(db, viewer, params.slug!),
  checklist: await getLifecycleChecklist(db, viewer, params.slug!),
}));

const PRIVACY_LABELS = {
  controller: 'Who is responsible for the data (optional)',
  lawfulBasis: 'Lawful basis (optional)',
  published: 'What is published (optional)',
  retentionMonths: 'Retention period in months (optional)',
  contactEmail: 'Contact email address (optional)',
  deletionPolicy: 'When someone deletes their account, their response is',
};

const SAVED_MESSAGES: Record<string, string> = {
  created: 'Draft created. Add recommendations, set the dates, then open it.',
  details: 'Your changes have been saved.',
  privacy: 'The privacy notice has been saved.',
  open: 'The consultation is open.',
  close: 'The consultation is closed. No more responses will be accepted.',
  analyse:
    'Analysing responses: what respondents answered is settled. Write the summary, then publish it.',
  'move-up': 'Order saved.',
  'move-down': 'Order saved.',
  recommendation: 'Recommendation saved.',
  removed: 'Recommendation removed.',
};

export const action = handler(async ({ request, db, viewer, params, ctx }) =>
  submitForm(request, OrganiseConsultationSchema, async (input) => {
    const slug = params.slug!;
    if (input.intent === 'save') await updateConsultation(db, viewer, slug, input, ctx);
    else if (input.intent === 'privacy')
      await updateConsultationNotice(db, viewer, slug, input, ctx);
    else if ('recommendationId' in input) {
      const outcome = await moveRecommendation(db, viewer, slug, input, ctx);
      if (outcome.status === 'needs-confirmation') {
        return data({
          confirm: outcome.change,
          values: {
            intent: input.intent,
            recommendationId: input.recommendationId,
            ...(input.fromNumber ? { fromNumber: String(input.fromNumber) } : {}),
          },
        });
      }
    } else if (input.intent === 'close') {
      // Closing is never one click: it goes through the page that says what closing does.
      return redirect(`/organise/${slug}/close`);
    } else await changeConsultationStatus(db, viewer, slug, input, ctx);
    const saved = input.intent === 'save' ? 'details' : input.intent;
    const anchor = input.intent.startsWith('move')
      ? '#recommendations'
      : input.intent === 'privacy'
        ? '#privacy'
        : '';
    return redirect(`/organise/${slug}?saved=${saved}${anchor}`);
  }),
);

export default function EditConsultation() {
  const {
    consultation: c,
    recommendations,
    locked,
    privacy,
    checklist,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const confirm = actionData && 'confirm' in actionData ? actionData : undefined;
  const feedback = actionData && !('confirm' in actionData) ? actionData : undefined;
  const [params] = useSearchParams();
  const saved = SAVED_MESSAGES[params.get('saved') ?? ''];
  // Field values typed into the details form come back only when that form was refused.
  const detailsFeedback = feedback?.values?.intent === 'save' ? feedback : undefined;
  const privacyFeedback = feedback?.values?.intent === 'privacy' ? feedback : undefined;
  const canOpen = c.phase === 'draft' || c.phase === 'closed';
  const canClose = c.phase === 'open' || c.phase === 'upcoming';
  return (
    <>
      <Breadcrumbs items={[{ to: '/organise', label: 'Organise' }]} />
      <h1>
        <span className="caption">Edit consultation</span>
        {c.title}
      </h1>
      {saved && !actionData ? (
        <div className="notice notice--success" role="status">
          <p>{saved}</p>
        </div>
      ) : null}
      <ErrorSummary
        feedback={feedback}
        labels={privacyFeedback ? PRIVACY_LABELS : consultationLabels}
      />

      <div className="grid grid--main-aside">
        <div>
          {c.phase !== 'draft' ? (
            <section aria-labelledby="checklist-heading">
              <h2 id="checklist-heading">From closing to a published summary</h2>
              <LifecycleChecklist steps={checklist.steps} />
            </section>
          ) : null}
          <h2 id="recommendations">Recommendations</h2>
          {confirm ? (
            <ConfirmChange
              heading="Confirm the new order"
              statements={confirm.confirm.statements}
              values={confirm.values}
              confirmLabel="Yes, change the order"
              cancelTo={`/organise/${c.slug}#recommendations`}
            />
          ) : null}
          {locked ? (
            <p>
              The consultation has closed, so the text and order of its recommendations are locked.
              Corrections will be made through correction notes on the published summary.
            </p>
          ) : null}
          {recommendations.length ? (
            <ScrollRegion label="Recommendations in order (table)">
              <table className="table">
                <caption className="visually-hidden">Recommendations in order</caption>
                <thead>
                  <tr>
                    <th scope="col">No.</th>
                    <th scope="col">Title</th>
                    <th scope="col" className="actions">
                      Order
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {recommendations.map((r, index) => (
                    <tr key={r.id}>
                      <td>{r.number}</td>
                      <td>
                        <Link to={`/organise/${c.slug}/recommendations/${r.slug}`}>
                          {r.title}
                          <span className="visually-hidden"> (edit)</span>
                        </Link>
                        {r.state === 'placeholder' ? (
                          <>
                            {' '}
                            <strong className="tag tag--draft">Placeholder: not yet open</strong>
                          </>
                        ) : null}
                      </td>
                      <td className="actions">
                        {!locked && index > 0 ? (
                          <Form method="post">
                            <input type="hidden" name="recommendationId" value={r.id} />
                            <input type="hidden" name="fromNumber" value={r.number} />
                            <button
                              type="submit"
                              name="intent"
                              value="move-up"
                              className="button button--secondary"
                            >
                              Up<span className="visually-hidden">: move {r.title} up</span>
                            </button>
                          </Form>
                        ) : null}
                        {!locked && index < recommendations.length - 1 ? (
                          <Form method="post">
                            <input type="hidden" name="recommendationId" value={r.id} />
                            <input type="hidden" name="fromNumber" value={r.number} />
                            <button
                              type="submit"
                              name="intent"
                              value="move-down"
                              className="button button--secondary"
                            >
                              Down<span className="visually-hidden">: move {r.title} down</span>
                            </button>
                          </Form>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          ) : (
            <p>No recommendations yet.</p>
          )}
          <p>
            <Link
              to={`/organise/${c.slug}/recommendations/new`}
              className="button button--secondary"
            >
              Add a recommendation
            </Link>
          </p>

          <h2 id="details">Details</h2>
          <Form method="post" className="form" noValidate>
            <input type="hidden" name="version" value={c.version} />
            <ConsultationFields
              feedback={detailsFeedback}
              defaults={{
                title: c.title,
                summary: c.summary,
                runBy: c.runBy,
                body: c.body,
                opensAt: c.opensAt,
                closesAt: c.closesAt,
              }}
            />
            <SubmitButton name="intent" value="save" pendingText="Saving…">
              Save changes
            </SubmitButton>
          </Form>

          <h2 id="privacy">Privacy notice</h2>
          <p>
            Shown to people before they respond and linked from every page of this consultation.
            Leave a box empty to use the <Link to="/privacy">site&apos;s default</Link> for that
            part.
          </p>
          <Form method="post" className="form" noValidate>
            <TextInput
              name="controller"
              label={PRIVACY_LABELS.controller}
              hint={`The organisation that decides how responses are used. Default: ${privacy.site.controller}.`}
              feedback={privacyFeedback}
              defaultValue={privacy.controller ?? ''}
              maxLength={200}
            />
            <TextArea
              name="lawfulBasis"
              label={PRIVACY_LABELS.lawfulBasis}
              hint="For example consent, or a public task set out in law."
              feedback={privacyFeedback}
              defaultValue={privacy.lawfulBasis ?? ''}
              rows={3}
              maxLength={2000}
            />
            <TextArea
              name="published"
              label={PRIVACY_LABELS.published}
              feedback={privacyFeedback}
              defaultValue={privacy.published ?? ''}
              rows={3}
              maxLength={2000}
            />
            <TextInput
              name="retentionMonths"
              label={PRIVACY_LABELS.retentionMonths}
              hint={`Months after closing, then personal data is removed. Default: ${privacy.site.retentionMonths}.`}
              feedback={privacyFeedback}
              defaultValue={privacy.retentionMonths?.toString() ?? ''}
              width="third"
            />
            <TextInput
              name="contactEmail"
              label={PRIVACY_LABELS.contactEmail}
              type="email"
              feedback={privacyFeedback}
              defaultValue={privacy.contactEmail ?? ''}
              width="half"
              maxLength={254}
            />
            <Radios
              name="deletionPolicy"
              legend={PRIVACY_LABELS.deletionPolicy}
              feedback={privacyFeedback}
              defaultValue={privacy.deletionPolicy}
              options={[
                { value: 'anonymise', label: DELETION_POLICY_LABELS.anonymise },
                { value: 'erase', label: DELETION_POLICY_LABELS.erase },
              ]}
            />
            <SubmitButton name="intent" value="privacy" pendingText="Saving…">
              Save privacy notice
            </SubmitButton>
          </Form>
        </div>

        <aside className="panel" aria-labelledby="status-heading">
          <h2 id="status-heading">Status</h2>
          <p>
            <PhaseTag phase={c.phase} />
          </p>
          <p>{datesSentence(c)}.</p>
          {canOpen ? (
            <Form method="post">
              <input type="hidden" name="version" value={c.version} />
              <SubmitButton name="intent" value="open" pendingText="Opening…">
                {c.phase === 'draft' ? 'Open consultation' : 'Reopen consultation'}
              </SubmitButton>
            </Form>
          ) : canClose ? (
            <p>
              <Link to={`/organise/${c.slug}/close`} className="button button--warning">
                Close consultation now
              </Link>
            </p>
          ) : null}
          {c.phase === 'closed' ? (
            <p>
              <Link to={`/organise/${c.slug}/close`} className="button button--secondary">
                Start analysing responses
              </Link>
            </p>
          ) : null}
          <p>
            <Link to={`/consultations/${c.slug}`}>View the public page</Link>
          </p>
          <p>
            <Link to={`/organise/${c.slug}/responses`}>Responses</Link>
          </p>
          <p>
            <Link to={`/moderation/${c.slug}`}>Moderation</Link>
          </p>
          <p>
            <Link to={`/organise/${c.slug}/team`}>Team</Link>
          </p>
          <p>
            <Link to={`/organise/${c.slug}/results`}>Results dashboard</Link>
          </p>
          <p>
            <Link to={`/organise/${c.slug}/summary`}>Summary</Link>
          </p>
          <p>
            <Link to={`/organise/${c.slug}/audit`}>Audit log</Link>
          </p>
          <p>
            <Link to={`/organise/${c.slug}/exports`}>Download the data</Link>
          </p>
        </aside>
      </div>
    </>
  );
}
