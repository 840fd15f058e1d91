import { redirect, type MetaFunction } from '@remix-run/node';
import {
  Link,
  useActionData,
  useLoaderData,
  useSearchParams,
  type ShouldRevalidateFunction,
} from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { handler, submitForm } from '~/.server/http';
import { decide, getItem, requireModerationAccess } from '~/.server/moderation';
import { formatUkDateTime } from '~/lib/dates';
import { REPORT_REASON_LABELS } from '~/lib/forms/discussion';
import { DecisionSchema } from '~/lib/schemas/moderation';
import { DECISION_NOTE_MAX, HIDE_REASON_LABELS, queueReturnQuery } from '~/lib/forms/moderation';
import { STANCE_LABELS } from '~/lib/forms/responses';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ErrorSummary, Field, type FormFeedback } from '~/ui/form';
import { SEGMENT_NAMES, StatusTag, triggerLabel } from '~/ui/moderation';
import { SubmitButton } from '~/ui/submit-button';
import { type ReportReason, HIDE_REASONS, type Stance } from '~/lib/enums';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: `Review a ${data?.item.type === 'quote' ? 'quote' : 'comment'} – Open Consultation`,
  },
];

export const loader = handler(async ({ db, viewer, params }) =>
  getItem(db, viewer, params.slug!, params.item!),
);

export const action = handler(async ({ request, db, viewer, params, ctx }) => {
  await requireModerationAccess(db, viewer, params.slug!, { action: 'decision', ctx });
  return submitForm(request, DecisionSchema, async (input) => {
    const slug = params.slug!;
    const ref = params.item!;
    await decide(db, viewer, slug, ref, input, ctx);
    const from = new URL(request.url).searchParams.get('from');
    if (input.intent === 'undo') {
      const back = from ? `&from=${encodeURIComponent(from)}` : '';
      return redirect(`/moderation/${slug}/items/${ref}?done=undo${back}`);
    }
    // Back to the same tab and filters, to carry on down the queue.
    const query = queueReturnQuery(from);
    query.set('decided', input.intent);
    query.set('item', ref);
    return redirect(`/moderation/${slug}/queue?${query.toString()}`);
  });
});

function errorsFor(feedback: FormFeedback | undefined, intent: string, name: string) {
  return feedback?.values?.intent === intent ? feedback.fieldErrors?.[name] : undefined;
}

function valueFor(feedback: FormFeedback | undefined, intent: string, name: string) {
  return feedback?.values?.intent === intent ? feedback.values[name] : undefined;
}

/** Hidden fields every decision carries: what the moderator saw, for the optimistic check. */
function Seen({ intent, seq, status }: { intent: string; seq: number; status: string }) {
  return (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="seenSeq" value={seq} />
      <input type="hidden" name="seenStatus" value={status} />
    </>
  );
}

function NoteField({
  intent,
  feedback,
  label = 'Note to the author (optional)',
}: {
  intent: string;
  feedback: FormFeedback | undefined;
  label?: string;
}) {
  return (
    <Field
      name="note"
      id={`${intent}-note`}
      label={label}
      hint="The author sees this with the decision, in their messages."
      errors={errorsFor(feedback, intent, 'note')}
    >
      {(props) => (
        <textarea
          {...props}
          className="textarea"
          rows={2}
          maxLength={DECISION_NOTE_MAX}
          defaultValue={valueFor(feedback, intent, 'note') ?? ''}
        />
      )}
    </Field>
  );
}

function ReasonField({ intent, feedback }: { intent: string; feedback: FormFeedback | undefined }) {
  return (
    <Field
      name="reason"
      id={`${intent}-reason`}
      label="Reason"
      hint="The author is told this reason."
      errors={errorsFor(feedback, intent, 'reason')}
    >
      {(props) => (
        <select
          {...props}
          className="select input--half"
          defaultValue={valueFor(feedback, intent, 'reason') ?? ''}
        >
          <option value="">Choose a reason</option>
          {HIDE_REASONS.map((r) => (
            <option key={r} value={r}>
              {HIDE_REASON_LABELS[r]}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/**
 * After "someone else decided first" (a 409) the page must show the new state, which Remix
 * would not reload after a refused action by default.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({
  actionStatus,
  defaultShouldRevalidate,
}) => (actionStatus === 409 ? true : defaultShouldRevalidate);

const DONE: Record<string, string> = { undo: 'The decision was undone.' };

export default function ReviewItem() {
  const data = useLoaderData<typeof loader>();
  const {
    consultation: c,
    item,
    recommendation: r,
    comment,
    quote,
    actions,
    history,
    appeal,
  } = data;
  const feedback = useActionData<typeof action>();
  const [search] = useSearchParams();
  const done = DONE[search.get('done') ?? ''];
  const queueQuery = queueReturnQuery(search.get('from')).toString();
  const intentOf = feedback?.values?.intent;
  const can = (action: string) => (actions as string[]).includes(action);
  const noun = item.type === 'comment' ? 'comment' : 'quote';
  const seen = { seq: item.seq, status: item.status };
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/moderation', label: 'Moderation' },
          { to: `/moderation/${c.slug}`, label: c.title },
          {
            to: `/moderation/${c.slug}/queue${queueQuery ? `?${queueQuery}` : ''}`,
            label: 'Queue',
          },
        ]}
      />
      <h1>
        <span className="caption">{c.title}</span>
        Review a {noun}
      </h1>
      {done && !feedback ? (
        <div className="notice notice--success" role="status">
          <p>{done}</p>
        </div>
      ) : null}
      <ErrorSummary
        feedback={feedback}
        labels={{ reason: 'Reason', note: 'Note', body: 'Text' }}
        anchors={
          intentOf
            ? { reason: `${intentOf}-reason`, note: `${intentOf}-note`, body: `${intentOf}-body` }
            : {}
        }
      />
      <div className="grid grid--main-aside">
        <div>
          <p>
            <StatusTag status={item.status} />{' '}
            {item.escalated ? <strong className="tag tag--draft">Escalated</strong> : null}{' '}
            {appeal ? <strong className="tag tag--upcoming">Appeal</strong> : null}{' '}
            {item.needsReview ? 'Waiting for a decision.' : 'No decision needed.'}
          </p>
          {appeal ? (
            <section className="notice" aria-labelledby="appeal-heading">
              <h2 id="appeal-heading">Appeal</h2>
              <p>
                The author asked for a review of the latest decision on{' '}
                {formatUkDateTime(appeal.createdAt)}. Your decision now answers it and is sent to
                them; it cannot be appealed again. Their reason:
              </p>
              <blockquote className="quoted-comment">
                <p className="messages__body">{appeal.reason}</p>
              </blockquote>
            </section>
          ) : null}
          {comment?.parentHtml ? (
            <>
              <h2>In reply to</h2>
              <blockquote
                className="prose quoted-comment"
                dangerouslySetInnerHTML={{ __html: comment.parentHtml }}
              />
            </>
          ) : null}
          <h2>{item.type === 'comment' ? 'The comment' : 'The reasons given'}</h2>
          <blockquote
            className="prose quoted-comment"
            dangerouslySetInnerHTML={{ __html: item.bodyHtml }}
          />

          <h2>Decide</h2>
          {item.isOwn ? (
            <p>You wrote this, so another moderator must decide on it.</p>
          ) : actions.length === 0 ? (
            <p>There is nothing to decide: its author deleted it.</p>
          ) : (
            <div className="decision-forms">
              {can('approve') ? (
                <Form method="post" className="button-row">
                  <Seen intent="approve" {...seen} />
                  <SubmitButton pendingText="Approving…">
                    Approve{item.status === 'hidden' ? ' and publish again' : ''}
                  </SubmitButton>
                </Form>
              ) : null}
              {can('hide') ? (
                <details open={intentOf === 'hide'}>
                  <summary>Hide this {noun}</summary>
                  <Form method="post" noValidate>
                    <Seen intent="hide" {...seen} />
                    <ReasonField intent="hide" feedback={feedback} />
                    <NoteField intent="hide" feedback={feedback} />
                    <SubmitButton variant="warning" pendingText="Hiding…">
                      Hide {noun}
                    </SubmitButton>
                  </Form>
                </details>
              ) : null}
              {can('restore') ? (
                <details open={intentOf === 'restore'}>
                  <summary>Restore this {noun}</summary>
                  <Form method="post" noValidate>
                    <Seen intent="restore" {...seen} />
                    <NoteField intent="restore" feedback={feedback} />
                    <SubmitButton pendingText="Restoring…">Restore {noun}</SubmitButton>
                  </Form>
                </details>
              ) : null}
              {can('redact') ? (
                <details open={intentOf === 'redact'}>
                  <summary>Edit out personal or unlawful content</summary>
                  <Form method="post" noValidate>
                    <Seen intent="redact" {...seen} />
                    <Field
                      name="body"
                      id="redact-body"
                      label="Text to publish instead"
                      hint="Remove only what must go, for example a phone number. The original is kept for organisers."
                      errors={errorsFor(feedback, 'redact', 'body')}
                    >
                      {(props) => (
                        <textarea
                          {...props}
                          className="textarea"
                          rows={5}
                          defaultValue={valueFor(feedback, 'redact', 'body') ?? item.body}
                        />
                      )}
                    </Field>
                    <ReasonField intent="redact" feedback={feedback} />
                    <NoteField intent="redact" feedback={feedback} />
                    <SubmitButton pendingText="Saving…">Publish the edited text</SubmitButton>
                  </Form>
                </details>
              ) : null}
              {can('escalate') ? (
                <details open={intentOf === 'escalate'}>
                  <summary>Escalate to an organiser</summary>
                  <Form method="post" noValidate>
                    <Seen intent="escalate" {...seen} />
                    <NoteField intent="escalate" feedback={feedback} label="Note (optional)" />
                    <SubmitButton variant="secondary" pendingText="Escalating…">
                      Escalate
                    </SubmitButton>
                  </Form>
                </details>
              ) : null}
            </div>
          )}

          <h2>History</h2>
          {history.length ? (
            <ol className="history">
              {history.map((d) => (
                <li key={d.id} className={d.undone ? 'undone' : undefined}>
                  <strong>{d.label}</strong> by {d.decidedBy} on {formatUkDateTime(d.createdAt)}
                  {d.bulk ? ' (bulk)' : ''}
                  {d.undone ? ' — undone' : ''}
                  {d.reason ? <p>Reason: {d.reason}</p> : null}
                  {d.note ? <p>Note to the author: {d.note}</p> : null}
                  {d.originalBody ? (
                    <details>
                      <summary>Text before this edit (organisers only)</summary>
                      <pre className="messages__body">{d.originalBody}</pre>
                    </details>
                  ) : null}
                  {data.undoable === d.id ? (
                    <Form method="post">
                      <Seen intent="undo" {...seen} />
                      <input type="hidden" name="decisionId" value={d.id} />
                      <SubmitButton variant="secondary" pendingText="Undoing…">
                        Undo<span className="visually-hidden"> this decision</span>
                      </SubmitButton>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ol>
          ) : (
            <p>No decisions yet.</p>
          )}
        </div>

        <aside className="panel" aria-labelledby="context-heading">
          <h2 id="context-heading">Context</h2>
          <dl className="item-facts">
            <dt>Recommendation</dt>
            <dd>
              <Link to={`/consultations/${c.slug}/recommendations/${r.slug}`}>
                {r.number}. {r.title}
              </Link>
            </dd>
            {comment ? (
              <>
                <dt>Author</dt>
                <dd>
                  {comment.authorName}, {SEGMENT_NAMES[comment.segment] ?? comment.segment}
                </dd>
                <dt>Posted</dt>
                <dd>
                  {formatUkDateTime(comment.createdAt)}
                  {comment.editedAt ? ' (edited by the author)' : ''}
                </dd>
                {comment.heldReason ? (
                  <>
                    <dt>Held</dt>
                    <dd>{triggerLabel(comment.heldReason)}</dd>
                  </>
                ) : null}
              </>
            ) : null}
            {quote ? (
              <>
                <dt>Respondent</dt>
                <dd>
                  {quote.authorName}
                  {quote.segment ? `, ${SEGMENT_NAMES[quote.segment] ?? quote.segment}` : ''}
                </dd>
                <dt>View</dt>
                <dd>
                  {quote.stance ? (STANCE_LABELS[quote.stance as Stance] ?? quote.stance) : '—'}
                </dd>
                <dt>Publishing</dt>
                <dd>{quote.consent === 'named' ? 'With their name' : 'Anonymously'}</dd>
                <dt>Submitted</dt>
                <dd>{quote.submittedAt ? formatUkDateTime(quote.submittedAt) : '—'}</dd>
              </>
            ) : null}
          </dl>
          {comment ? (
            <>
              <h3>Reports ({comment.reports.length})</h3>
              {comment.reports.length ? (
                <ul>
                  {comment.reports.map((f) => (
                    <li key={f.id}>
                      {REPORT_REASON_LABELS[f.reason as ReportReason] ?? f.reason},{' '}
                      {formatUkDateTime(f.createdAt)}
                      {f.note ? <span className="queue-excerpt">“{f.note}”</span> : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <p>Nobody has reported it.</p>
              )}
            </>
          ) : null}
        </aside>
      </div>
    </>
  );
}
