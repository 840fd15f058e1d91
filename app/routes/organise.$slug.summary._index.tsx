import { redirect, type LinksFunction, type MetaFunction } from '@remix-run/node';
import {
  Link,
  useActionData,
  useLoaderData,
  useSearchParams,
  type ShouldRevalidateFunction,
} from '@remix-run/react';
import { getSummaryDraft, saveSummaryDraft } from '~/.server/summaries';
import { handler, submitForm } from '~/.server/http';
import { formatUkDateTime } from '~/lib/dates';
import { PHASE_LABELS } from '~/lib/phase';
import { SummaryIntroFormSchema } from '~/lib/schemas/summaries';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ErrorSummary, MARKDOWN_HINT, TextArea } from '~/ui/form';
import { PhaseTag } from '~/ui/phase-tag';
import { Form } from '~/ui/post-form';
import { SubmitButton } from '~/ui/submit-button';
import { SavedByOthers } from '~/ui/summary-editor';
import resultsStyles from '~/styles/results.css?url';
import editorStyles from '~/styles/summary-editor.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: resultsStyles },
  { rel: 'stylesheet', href: editorStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Summary of ${data?.consultation.title ?? 'the consultation'} – Open Consultation` },
];

export const loader = handler(async ({ db, viewer, params }) =>
  getSummaryDraft(db, viewer, params.slug!),
);

export const action = handler(async ({ request, db, viewer, params, ctx }) =>
  submitForm(request, SummaryIntroFormSchema, async (input) => {
    await saveSummaryDraft(
      db,
      viewer,
      params.slug!,
      { expectedVersion: input.expectedVersion, intro: input.intro, recommendations: [] },
      ctx,
    );
    return redirect(`/organise/${params.slug}/summary?saved=intro#intro`);
  }),
);

/** After a conflict (409) the page shows what the other organiser saved, so it reloads it. */
export const shouldRevalidate: ShouldRevalidateFunction = ({
  actionStatus,
  defaultShouldRevalidate,
}) => (actionStatus === 409 ? true : defaultShouldRevalidate);

const LABELS = { intro: 'Introduction: what you asked, and why' };

const PART_NAMES: Record<string, string> = {
  youSaid: 'what people said',
  weDid: 'what you did',
  outcomeStatus: 'outcome',
};

export default function SummaryEditor() {
  const draft = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const [params] = useSearchParams();
  const c = draft.consultation;
  const base = `/organise/${c.slug}/summary`;
  const conflicted = !!feedback && Number(feedback.values?.expectedVersion) !== draft.version;
  const typedIntro = feedback?.values?.intro;
  const missingOf = (number: number) =>
    Object.keys(draft.missing)
      .filter((field) => field.startsWith(`recommendations.${number}.`))
      .map((field) => PART_NAMES[field.split('.')[2]!] ?? field);
  const missingCount = Object.keys(draft.missing).length;
  const canPublish = c.status === 'analysing' && !draft.published;
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/organise', label: 'Organise' },
          { to: `/organise/${c.slug}`, label: c.title },
        ]}
      />
      <h1>
        <span className="caption">{c.title}</span>
        Summary: we asked, you said, we did
      </h1>
      {params.get('saved') === 'intro' && !feedback ? (
        <div className="notice notice--success" role="status">
          <p>The introduction has been saved (draft version {draft.version}).</p>
        </div>
      ) : null}
      <ErrorSummary feedback={feedback} labels={LABELS} />

      <div className="grid grid--main-aside">
        <div>
          {draft.published ? (
            <div className="notice">
              <p>
                Version {draft.published.number} was published on{' '}
                {formatUkDateTime(new Date(draft.published.publishedAt))}.{' '}
                <Link to={`/consultations/${c.slug}/summary`}>Read the published summary</Link>.
              </p>
              <p>
                What you save here is a draft: the public page changes only when you publish a
                correction, with a note saying what changed. Record what becomes of each
                recommendation under “Outcome updates” on its page.
              </p>
            </div>
          ) : null}

          <nav aria-labelledby="contents-heading" className="editor-contents">
            <h2 id="contents-heading">Parts of the summary</h2>
            <ol className="task-list">
              <li>
                <a href="#intro">Introduction: we asked</a>
                <span className="task-list__status">
                  {draft.missing.intro ? 'To write' : 'Written'}
                </span>
              </li>
              {draft.recommendations.map((r) => {
                const missing = missingOf(r.number);
                return (
                  <li key={r.id}>
                    <span>
                      <Link to={`${base}/recommendations/${r.slug}`}>
                        {r.number}. {r.title}
                      </Link>
                      {missing.length ? (
                        <span className="task-list__missing">Missing: {missing.join(', ')}</span>
                      ) : null}
                    </span>
                    <span className="task-list__status">
                      {missing.length === 0
                        ? 'Written'
                        : r.draft.youSaid || r.draft.weDid || r.draft.outcomeStatus
                          ? 'In progress'
                          : 'Not started'}
                    </span>
                  </li>
                );
              })}
            </ol>
          </nav>

          <h2 id="intro">Introduction: we asked</h2>
          <Form
            method="post"
            className="form"
            noValidate
            key={`intro:${draft.version}`}
            aria-labelledby="intro"
          >
            <input type="hidden" name="expectedVersion" value={draft.version} />
            <TextArea
              name="intro"
              label={LABELS.intro}
              hint={`What you asked, of whom, and why; who responded. ${MARKDOWN_HINT}`}
              feedback={feedback}
              defaultValue={draft.intro}
              rows={8}
            />
            {conflicted && draft.intro && typedIntro?.trim() !== draft.intro ? (
              <SavedByOthers label="Introduction" saved={draft.intro} byYou={draft.savedByViewer} />
            ) : null}
            <SubmitButton name="intent" value="intro" pendingText="Saving…">
              Save the introduction
            </SubmitButton>
          </Form>
        </div>

        <aside className="panel" aria-labelledby="status-heading">
          <h2 id="status-heading">Check and publish</h2>
          <p>
            <PhaseTag phase={c.phase} />
          </p>
          <p>
            {draft.version === 0
              ? 'Nothing saved yet.'
              : `Draft version ${draft.version}, saved ${formatUkDateTime(new Date(draft.updatedAt!))}.`}
          </p>
          <p>
            {missingCount === 0
              ? 'Every required part is written.'
              : `${missingCount} required ${missingCount === 1 ? 'part is' : 'parts are'} still missing.`}
          </p>
          <p>
            <Link to={`${base}/preview`} className="button button--secondary">
              Preview as the public will see it
            </Link>
          </p>
          {draft.published ? (
            <p>
              <Link to={`${base}/publish`} className="button">
                Publish a correction
              </Link>
            </p>
          ) : canPublish ? (
            <p>
              <Link to={`${base}/publish`} className="button">
                Publish the summary
              </Link>
            </p>
          ) : (
            <p>
              It can be published once the consultation has closed and you have started analysing
              its responses (now: {PHASE_LABELS[c.phase].toLowerCase()}).{' '}
              {c.phase === 'closed' ? (
                <Link to={`/organise/${c.slug}/close`}>Start analysing</Link>
              ) : null}
            </p>
          )}
          <p>
            <Link to={`/organise/${c.slug}`}>Back to the consultation</Link>
          </p>
        </aside>
      </div>
    </>
  );
}
