import { redirect, type LinksFunction, type MetaFunction } from '@remix-run/node';
import {
  Link,
  useActionData,
  useLoaderData,
  useSearchParams,
  type ShouldRevalidateFunction,
} from '@remix-run/react';
import { addOutcomeUpdate, getSummaryDraftPart, saveSummaryDraft } from '~/.server/summaries';
import { handler, submitForm } from '~/.server/http';
import { isoDateParts } from '~/lib/date-parts';
import { OUTCOME_STATUSES } from '~/lib/enums';
import { SummaryRecommendationFormSchema } from '~/lib/schemas/summaries';
import { OUTCOME_STATUS_LABELS, typedEvidence } from '~/lib/forms/summaries';
import { DateFields } from '~/ui/date-fields';
import { IdempotencyKeyInput } from '~/ui/idempotency-key';
import { ErrorSummary, MARKDOWN_HINT, Radios, TextArea, type FormFeedback } from '~/ui/form';
import { Form } from '~/ui/post-form';
import { SubmitButton } from '~/ui/submit-button';
import { OutcomeTimeline, summaryStylesheets } from '~/ui/summary';
import { SummaryResultBlock } from '~/ui/summary/result-block';
import { FigureChoices, QuoteChoices, SavedByOthers, SummaryCrumbs } from '~/ui/summary-editor';
import { SMALL_CELL } from '~/lib/results/suppression';
import { GROUP_LABELS, GROUPS } from '~/lib/results/view';
import editorStyles from '~/styles/summary-editor.css?url';

export const links: LinksFunction = () => [
  ...summaryStylesheets,
  { rel: 'stylesheet', href: editorStyles },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Summary of recommendation ${data.recommendation.number}: ${data.recommendation.title} – Open Consultation`
      : 'Summary – Open Consultation',
  },
];

export const loader = handler(async ({ db, viewer, params }) => ({
  ...(await getSummaryDraftPart(db, viewer, params.slug!, params.recommendation!)),
  // A fresh key each time the page is shown: an update sent twice is recorded once.
  idempotencyKey: crypto.randomUUID(),
}));

export const action = handler(async ({ request, db, viewer, params, ctx }) =>
  submitForm(request, SummaryRecommendationFormSchema, async (input) => {
    const slug = params.slug!;
    const here = `/organise/${slug}/summary/recommendations/${params.recommendation}`;
    if (input.intent === 'outcome') {
      const { intent: _intent, ...update } = input;
      await addOutcomeUpdate(db, viewer, slug, params.recommendation!, update, ctx);
      return redirect(`${here}?saved=outcome#outcome-updates`);
    }
    const { intent: _intent, expectedVersion, ...part } = input;
    await saveSummaryDraft(db, viewer, slug, { expectedVersion, recommendations: [part] }, ctx);
    return redirect(`${here}?saved=part`);
  }),
);

/** After a conflict (409) the page shows what the other organiser saved, so it reloads it. */
export const shouldRevalidate: ShouldRevalidateFunction = ({
  actionStatus,
  defaultShouldRevalidate,
}) => (actionStatus === 409 ? true : defaultShouldRevalidate);

const PART_LABELS = {
  youSaid: 'You said: what people told you',
  citations: 'Evidence cited',
  quotes: 'Quotes',
  weDid: 'We did: what you did or will do, and what happens next',
  outcomeStatus: 'Outcome',
  outcomeReasons: 'Reasons for the outcome',
};
const OUTCOME_OPTIONS = OUTCOME_STATUSES.map((status) => ({
  value: status,
  label: OUTCOME_STATUS_LABELS[status],
}));
const OUTCOME_LABELS = {
  happenedOn: 'Date it happened',
  status: 'Outcome after this update',
  note: 'What happened',
};

/**
 * The service names a part's fields `recommendations.<number>.youSaid`; on this page of one
 * recommendation they are plain `youSaid`.
 */
function localFeedback(feedback: FormFeedback | undefined, number: number) {
  if (!feedback?.fieldErrors) return feedback;
  const prefix = `recommendations.${number}.`;
  return {
    ...feedback,
    fieldErrors: Object.fromEntries(
      Object.entries(feedback.fieldErrors).map(([key, value]) => [
        key.startsWith(prefix) ? key.slice(prefix.length) : key,
        value,
      ]),
    ),
  };
}

export default function SummaryRecommendation() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { consultation: c, recommendation: r, version } = data;
  const base = `/organise/${c.slug}/summary`;
  const intent = actionData?.values?.intent;
  const partFeedback = intent === 'save' ? localFeedback(actionData, r.number) : undefined;
  const outcomeFeedback = intent === 'outcome' ? actionData : undefined;
  const conflicted = !!partFeedback && Number(partFeedback.values?.expectedVersion) !== version;
  const typed = partFeedback?.values ? typedEvidence(partFeedback.values) : null;
  const citations = typed?.citations ?? r.draft.citations;
  const quotes = typed?.quotes ?? r.draft.quotes;
  const saved = params.get('saved');

  const figureLabel = new Map(r.figures.map((f) => [f.key, `${f.label}: ${f.text}`]));
  const quoteLabel = new Map(
    r.quoteCandidates.map((q) => [q.ref, `“${shorten(q.text)}” (${q.attribution})`]),
  );
  const describe = (ref: string) =>
    figureLabel.get(ref) ?? quoteLabel.get(ref) ?? 'Evidence that can no longer be used';
  // Chosen evidence that is no longer offered stays on the form, so it is removed knowingly.
  const offered = new Set([...figureLabel.keys(), ...quoteLabel.keys()]);
  const gone = (list: string[]) => list.filter((ref) => !offered.has(ref));

  const conflictNote = (field: 'youSaid' | 'weDid' | 'outcomeReasons', label: string) => {
    const typedText = partFeedback?.values?.[field];
    return conflicted && r.draft[field] && typedText?.trim() !== r.draft[field] ? (
      <SavedByOthers label={label} saved={r.draft[field]} byYou={data.savedByViewer} />
    ) : null;
  };
  const evidenceNote = (
    label: string,
    typedList: string[],
    savedList: string[],
    numbered = false,
  ) =>
    conflicted && savedList.join() !== typedList.join() ? (
      <SavedByOthers
        label={label}
        byYou={data.savedByViewer}
        saved={
          savedList.length
            ? savedList.map((ref, i) => `${numbered ? `[${i + 1}] ` : ''}${describe(ref)}`)
            : ['(none)']
        }
      />
    ) : null;

  const differs =
    conflicted &&
    ((['youSaid', 'weDid', 'outcomeReasons'] as const).some(
      (field) => partFeedback?.values?.[field]?.trim() !== r.draft[field],
    ) ||
      citations.join() !== r.draft.citations.join() ||
      quotes.join() !== r.draft.quotes.join() ||
      (partFeedback?.values?.outcomeStatus ?? null) !== r.draft.outcomeStatus);

  return (
    <>
      <SummaryCrumbs consultation={c} />
      <h1>
        <span className="caption">Summary, recommendation {r.number}</span>
        {r.title}
      </h1>
      {saved && !actionData ? (
        <div className="notice notice--success" role="status">
          <p>
            {saved === 'outcome'
              ? 'The outcome update has been recorded and is shown on the public summary.'
              : `Saved (draft version ${version}).`}{' '}
            {saved === 'part' && data.next ? (
              <Link to={`${base}/recommendations/${data.next.slug}`}>
                Next: recommendation {data.next.number}
              </Link>
            ) : saved === 'part' ? (
              <Link to={base}>Back to the summary</Link>
            ) : null}
          </p>
        </div>
      ) : null}
      <ErrorSummary
        feedback={partFeedback ?? outcomeFeedback}
        labels={outcomeFeedback ? OUTCOME_LABELS : PART_LABELS}
      />
      {conflicted && !differs ? (
        <p className="notice">
          That save changed other parts of the summary, not this recommendation: save again to keep
          what is below.
        </p>
      ) : null}
      {data.published ? (
        <p className="notice">
          Version {data.published.number} of the summary is published. Changes saved here show on
          the public page once you publish a correction.
        </p>
      ) : null}

      <nav aria-label="On this page" className="editor-contents">
        <ul className="contents-list">
          <li>
            <a href="#results">Results</a>
          </li>
          <li>
            <a href="#you-said">You said</a>
          </li>
          <li>
            <a href="#evidence">Evidence and quotes</a>
          </li>
          <li>
            <a href="#we-did">We did, and the outcome</a>
          </li>
          {data.outcomes ? (
            <li>
              <a href="#outcome-updates">Outcome updates</a>
            </li>
          ) : null}
        </ul>
      </nav>

      <h2 id="results">Results</h2>
      <p>
        The public results, as the summary will show them. They are read-only here; the figures are
        frozen when you publish.
      </p>
      <SummaryResultBlock block={r.results} title={r.title} threshold={SMALL_CELL} />

      <Form method="post" className="form" noValidate key={`${r.id}:${version}`}>
        <input type="hidden" name="expectedVersion" value={version} />
        <input type="hidden" name="recommendationId" value={r.id} />
        <h2 id="you-said">You said</h2>
        <TextArea
          name="youSaid"
          label={PART_LABELS.youSaid}
          hint={`Point to evidence by its number in the list below, like [1]. ${MARKDOWN_HINT}`}
          feedback={partFeedback}
          defaultValue={r.draft.youSaid}
          rows={8}
        />
        {conflictNote('youSaid', 'You said')}
        <div className="button-row editor-actions">
          <SubmitButton name="intent" value="save" pendingText="Saving…">
            Save
          </SubmitButton>
        </div>

        <h2 id="evidence">Evidence and quotes</h2>
        {citations.length ? (
          <div className="cited-list">
            <h3>Cited so far</h3>
            <ol className="cited-list__items">
              {citations.map((ref, i) => (
                <li key={ref}>
                  <strong>[{i + 1}]</strong> {describe(ref)}
                </li>
              ))}
            </ol>
            <p className="field__hint">
              Untick a piece of evidence to remove it: the ones after it move up a number. New ones
              are added at the end.
            </p>
          </div>
        ) : null}
        {evidenceNote('Evidence cited', citations, r.draft.citations, true)}
        {evidenceNote('Quotes', quotes, r.draft.quotes)}
        <FigureChoices
          legend="Figures to cite"
          hint="From the public results; groups too small to show cannot be cited."
          groups={[
            ...(gone(citations).length
              ? [
                  {
                    label: 'No longer available',
                    figures: gone(citations).map((ref) => ({ ref, label: describe(ref) })),
                  },
                ]
              : []),
            ...GROUPS.flatMap((group) => {
              const figures = r.figures.filter((f) => f.key.endsWith(`:${group}`));
              return figures.length
                ? [
                    {
                      label: GROUP_LABELS[group],
                      figures: figures.map((f) => ({ ref: f.key, label: figureText(f) })),
                    },
                  ]
                : [];
            }),
          ]}
          chosen={citations}
          errors={partFeedback?.fieldErrors?.citations}
        />
        <QuoteChoices
          candidates={r.quoteCandidates}
          quotes={quotes}
          citations={citations}
          citationOffset={r.figures.length + gone(citations).length}
          errors={partFeedback?.fieldErrors?.quotes}
        />
        {gone(quotes).length ? (
          <div className="notice notice--warning">
            <p>
              {gone(quotes).length === 1
                ? 'A chosen quote'
                : `${gone(quotes).length} chosen quotes`}{' '}
              can no longer be used (consent or moderation changed); saving removes them.
            </p>
          </div>
        ) : null}
        <div className="button-row editor-actions">
          <SubmitButton name="intent" value="save" pendingText="Saving…">
            Save
          </SubmitButton>
        </div>

        <h2 id="we-did">We did, and the outcome</h2>
        <TextArea
          name="weDid"
          label={PART_LABELS.weDid}
          hint={MARKDOWN_HINT}
          feedback={partFeedback}
          defaultValue={r.draft.weDid}
          rows={6}
        />
        {conflictNote('weDid', 'We did')}
        <Radios
          name="outcomeStatus"
          legend={PART_LABELS.outcomeStatus}
          hint="Where this recommendation stands now. After publishing, record what happens with dated updates."
          feedback={partFeedback}
          // After a refused save the form shows what was sent, an outcome left unchosen too.
          defaultValue={partFeedback ? undefined : (r.draft.outcomeStatus ?? undefined)}
          options={OUTCOME_OPTIONS}
        />
        {conflicted &&
        r.draft.outcomeStatus &&
        (partFeedback?.values?.outcomeStatus ?? null) !== r.draft.outcomeStatus ? (
          <SavedByOthers
            label="Outcome"
            saved={OUTCOME_STATUS_LABELS[r.draft.outcomeStatus]}
            byYou={data.savedByViewer}
          />
        ) : null}
        <TextArea
          name="outcomeReasons"
          label={PART_LABELS.outcomeReasons}
          hint={`Optional. Why you decided this. ${MARKDOWN_HINT}`}
          feedback={partFeedback}
          defaultValue={r.draft.outcomeReasons}
          rows={4}
        />
        {conflictNote('outcomeReasons', 'Reasons')}
        <div className="button-row editor-actions">
          <SubmitButton name="intent" value="save" pendingText="Saving…">
            Save
          </SubmitButton>
          <Link to={`${base}/preview#recommendation-${r.number}`}>Preview</Link>
        </div>
      </Form>

      {data.outcomes ? (
        <section aria-labelledby="outcome-updates">
          <h2 id="outcome-updates">Outcome updates</h2>
          <p>
            Published as{' '}
            <strong>
              {data.outcomes.publishedStatus
                ? OUTCOME_STATUS_LABELS[data.outcomes.publishedStatus]
                : 'not covered'}
            </strong>
            ; now <strong>{data.outcomes.currentStatusLabel ?? 'not covered'}</strong>.
          </p>
          {data.outcomes.updates.length ? (
            <OutcomeTimeline updates={data.outcomes.updates} />
          ) : (
            <p>No updates yet.</p>
          )}
          <h3>Add an update</h3>
          <Form
            method="post"
            className="form"
            noValidate
            key={`outcome:${r.id}:${data.outcomes.updates.length}`}
          >
            <IdempotencyKeyInput value={data.idempotencyKey} />
            <DateFields
              name="happenedOn"
              legend={OUTCOME_LABELS.happenedOn}
              feedback={outcomeFeedback}
              defaultValue={isoDateParts(null)}
            />
            <Radios
              name="status"
              legend={OUTCOME_LABELS.status}
              feedback={outcomeFeedback}
              defaultValue={data.outcomes.currentStatus ?? undefined}
              options={OUTCOME_OPTIONS}
            />
            <TextArea
              name="note"
              label={OUTCOME_LABELS.note}
              hint={`For example: “Innovate UK published new priorities.” ${MARKDOWN_HINT}`}
              feedback={outcomeFeedback}
              rows={4}
            />
            <SubmitButton name="intent" value="outcome" pendingText="Recording…">
              Record the update
            </SubmitButton>
          </Form>
        </section>
      ) : null}

      <nav className="pager" aria-label="Other recommendations">
        {data.previous ? (
          <Link to={`${base}/recommendations/${data.previous.slug}`}>
            Previous: {data.previous.number}. {data.previous.title}
          </Link>
        ) : (
          <span />
        )}
        {data.next ? (
          <Link to={`${base}/recommendations/${data.next.slug}`}>
            Next: {data.next.number}. {data.next.title}
          </Link>
        ) : (
          <Link to={base}>Back to the summary</Link>
        )}
      </nav>
    </>
  );
}

/** A figure's words without the recommendation and group its heading already gives. */
function figureText(figure: { label: string; text: string }) {
  const measure = figure.label.slice(figure.label.indexOf(': ') + 2);
  return `${measure.charAt(0).toUpperCase()}${measure.slice(1)}: ${figure.text}`;
}

function shorten(text: string, max = 90) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
