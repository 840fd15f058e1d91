import { redirect, type LinksFunction, type MetaFunction } from '@remix-run/node';
import {
  Link,
  useActionData,
  useLoaderData,
  useSearchParams,
  type ShouldRevalidateFunction,
} from '@remix-run/react';
import { correctSummary, getSummaryDraft, publishSummary } from '~/.server/summaries';
import { handler, submitForm } from '~/.server/http';
import { formatUkDateTime } from '~/lib/dates';
import { plural } from '~/lib/plural';
import { PublishSummaryFormSchema } from '~/lib/schemas/summaries';
import { SummaryCrumbs } from '~/ui/summary-editor';
import editorStyles from '~/styles/summary-editor.css?url';
import { ErrorSummary, Radios, TextArea } from '~/ui/form';
import { SUMMARY_LICENCES, SUMMARY_LICENCE_IDS } from '~/lib/forms/summaries';
import { Form } from '~/ui/post-form';
import { SubmitButton } from '~/ui/submit-button';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: editorStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: `${data?.published ? 'Publish a correction' : 'Publish the summary'} – ${data?.consultation.title ?? 'Consultation'} – Open Consultation`,
  },
];

export const loader = handler(async ({ db, viewer, params }) =>
  getSummaryDraft(db, viewer, params.slug!),
);

export const action = handler(async ({ request, db, viewer, params, ctx }) =>
  submitForm(request, PublishSummaryFormSchema, async (input) => {
    const slug = params.slug!;
    const done =
      input.intent === 'publish'
        ? await publishSummary(
            db,
            viewer,
            slug,
            {
              expectedVersion: input.expectedVersion,
              licence: SUMMARY_LICENCES[input.licence].name,
            },
            ctx,
          )
        : await correctSummary(
            db,
            viewer,
            slug,
            {
              expectedVersion: input.expectedVersion,
              changeNote: input.changeNote,
              // Kept from the published version.
              licence: null,
            },
            ctx,
          );
    return redirect(`/organise/${slug}/summary/publish?published=${done.number}`);
  }),
);

/** After a conflict (409) the page shows the draft as it is now. */
export const shouldRevalidate: ShouldRevalidateFunction = ({
  actionStatus,
  defaultShouldRevalidate,
}) => (actionStatus === 409 ? true : defaultShouldRevalidate);

const PARTS: Record<string, { label: string; anchor: string }> = {
  youSaid: { label: 'you said', anchor: 'field-youSaid' },
  weDid: { label: 'we did', anchor: 'field-weDid' },
  outcomeStatus: { label: 'outcome', anchor: 'field-outcomeStatus' },
  quotes: { label: 'quotes', anchor: 'field-quotes' },
  citations: { label: 'evidence cited', anchor: 'field-citations' },
};

export default function PublishSummary() {
  const draft = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const c = draft.consultation;
  const base = `/organise/${c.slug}/summary`;
  const publicPage = `/consultations/${c.slug}/summary`;
  const correcting = !!draft.published;
  const justPublished =
    !actionData && draft.published && params.get('published') === String(draft.published.number);

  // Every part of the summary in page order, each linking to its field on the editor pages.
  const labels: Record<string, string> = {
    changeNote: 'Change note',
    intro: 'Introduction',
    licence: 'Licence',
  };
  const hrefs: Record<string, string> = { intro: `${base}#field-intro` };
  for (const r of draft.recommendations) {
    for (const [part, { label, anchor }] of Object.entries(PARTS)) {
      const field = `recommendations.${r.number}.${part}`;
      labels[field] = `Recommendation ${r.number}: ${label}`;
      hrefs[field] = `${base}/recommendations/${r.slug}#${anchor}`;
    }
  }
  const stale = !!actionData && Number(actionData.values?.expectedVersion) !== draft.version;
  const feedback = stale
    ? {
        ...actionData,
        formError: `The draft was saved again since you opened this page (it is now version ${draft.version}). Check the preview, then publish.`,
      }
    : actionData;
  const missing = Object.entries(draft.missing);

  if (justPublished && draft.published) {
    const told = draft.published.told;
    return (
      <div className="narrow">
        <SummaryCrumbs consultation={c} />
        <div className="confirmation" role="status">
          <h1>{draft.published.number === 1 ? 'Summary published' : 'Correction published'}</h1>
          <p>Version</p>
          <p className="confirmation__reference">{draft.published.number}</p>
        </div>
        <dl className="summary-list publish-facts">
          <div className="summary-list__row">
            <dt className="summary-list__key">Published</dt>
            <dd className="summary-list__value">
              {formatUkDateTime(new Date(draft.published.publishedAt))}
            </dd>
          </div>
          <div className="summary-list__row">
            <dt className="summary-list__key">Content hash (SHA-256)</dt>
            <dd className="summary-list__value">
              <code>{draft.published.contentHash}</code>
            </dd>
          </div>
          <div className="summary-list__row">
            <dt className="summary-list__key">Respondents told</dt>
            <dd className="summary-list__value">
              {!told || draft.published.number > 1
                ? 'Respondents were told when version 1 was published; a correction is shown on the page itself.'
                : told.messages === 0
                  ? 'Nobody had submitted a response, so there was nobody to tell.'
                  : `${plural(told.messages, 'respondent was', 'respondents were')} sent a message in their account; ${plural(told.emails, 'was', 'were')} also emailed (those with a confirmed address who keep the “Consultation news” emails on).`}
            </dd>
          </div>
        </dl>
        <p>
          <Link to={publicPage} className="button">
            Read the public summary
          </Link>
        </p>
        <p>
          After publication, record what becomes of each recommendation with dated outcome updates
          on its page in the <Link to={base}>summary editor</Link>.
        </p>
        <p>
          <Link to={`/organise/${c.slug}`}>Back to the consultation</Link>
        </p>
      </div>
    );
  }

  return (
    <div className="narrow">
      <SummaryCrumbs consultation={c} />
      <h1>
        <span className="caption">{c.title}</span>
        {correcting ? 'Publish a correction?' : 'Publish the summary?'}
      </h1>
      <ErrorSummary feedback={feedback} labels={labels} hrefs={hrefs} />
      {missing.length && !actionData ? (
        <div className="notice notice--warning">
          <h2>Still missing</h2>
          <ul>
            {missing.map(([field, messages]) => (
              <li key={field}>
                <a href={hrefs[field] ?? base}>{messages[0]}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {correcting && draft.published ? (
        <>
          <p>
            Version {draft.published.number} was published on{' '}
            {formatUkDateTime(new Date(draft.published.publishedAt))}. Publishing a correction:
          </p>
          <ul>
            <li>
              makes the draft as saved now (version {draft.version}) version{' '}
              {draft.published.number + 1} of the public summary, with your change note shown on it;
            </li>
            <li>keeps every earlier version readable at its own address, with what changed;</li>
            <li>checks every figure and quote again and freezes them with a new content hash;</li>
            <li>does not message respondents again.</li>
          </ul>
          <Form method="post" className="form" noValidate key={`correct:${draft.version}`}>
            <input type="hidden" name="expectedVersion" value={draft.version} />
            <TextArea
              name="changeNote"
              label="What does this correction change?"
              hint="Shown to readers on the summary, for example: “Corrected the figure for investors on recommendation 3.”"
              feedback={feedback}
              rows={3}
            />
            <div className="button-row editor-actions">
              <SubmitButton name="intent" value="correct" pendingText="Publishing…">
                Publish the correction
              </SubmitButton>
              <Link to={`${base}/preview`}>Preview first</Link>
              <Link to={base}>Cancel</Link>
            </div>
          </Form>
        </>
      ) : c.status === 'analysing' ? (
        <>
          <p>Publishing:</p>
          <ul>
            <li>
              makes the draft as saved now (version {draft.version}) the public summary, version 1,
              at the address <code>{publicPage}</code>;
            </li>
            <li>
              freezes every figure and quote as it is now, with the time and a content hash: later
              changes to responses, consent or moderation do not change it;
            </li>
            <li>
              sends everyone who submitted a response a message in their account, and an email to
              those who keep the “Consultation news” emails on;
            </li>
            <li>
              marks the consultation “Summary published”. It cannot be reopened; mistakes are put
              right with corrections, which stay on the record.
            </li>
          </ul>
          <Form method="post" className="form" noValidate key={`publish:${draft.version}`}>
            <input type="hidden" name="expectedVersion" value={draft.version} />
            <Radios
              name="licence"
              legend="Licence"
              hint="Readers may reuse the summary and its data under this licence; it is printed on the summary and kept by its corrections."
              options={SUMMARY_LICENCE_IDS.map((id) => ({
                value: id,
                label: SUMMARY_LICENCES[id].name,
                hint: SUMMARY_LICENCES[id].hint,
              }))}
              defaultValue={SUMMARY_LICENCE_IDS[0]}
              feedback={feedback}
            />
            <div className="button-row editor-actions">
              <SubmitButton name="intent" value="publish" pendingText="Publishing…">
                Yes, publish the summary
              </SubmitButton>
              <Link to={`${base}/preview`}>Preview first</Link>
              <Link to={base}>Cancel</Link>
            </div>
          </Form>
        </>
      ) : (
        <>
          <p>
            A summary is published once the consultation has closed and you have started analysing
            its responses.
            {c.phase === 'closed' ? (
              <>
                {' '}
                <Link to={`/organise/${c.slug}/close`}>Start analysing the responses</Link>.
              </>
            ) : null}
          </p>
          <p>
            <Link to={base}>Back to the summary</Link>
          </p>
        </>
      )}
    </div>
  );
}
