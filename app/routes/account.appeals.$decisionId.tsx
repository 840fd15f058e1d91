import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { handler, submitForm } from '~/.server/http';
import { getAppeal, requestAppeal } from '~/.server/moderation';
import { formatUkDateTime } from '~/lib/dates';
import { AppealSchema } from '~/lib/schemas/moderation';
import { APPEAL_REASON_MAX } from '~/lib/forms/moderation';
import { CharacterCount } from '~/ui/character-count';
import { ErrorSummary } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';
import { requireSignedIn } from '~/.server/auth';

export const meta: MetaFunction = () => [{ title: 'Ask for a review – Open Consultation' }];

export const loader = handler(async ({ db, viewer, params }) => {
  requireSignedIn(viewer);
  return getAppeal(db, viewer, params.decisionId!);
});

export const action = handler(async ({ request, db, viewer, params, ctx }) =>
  submitForm(request, AppealSchema, async (input) => {
    await requestAppeal(db, viewer, params.decisionId!, input, ctx);
    return redirect(`/account/appeals/${params.decisionId}?sent=1`);
  }),
);

const labels = { reason: 'Why should the decision be reviewed?' };

export default function Appeal() {
  const { decision, appeal, refusal } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const [search] = useSearchParams();
  const noun = decision.itemType === 'comment' ? 'comment' : 'reasons';
  const decided =
    decision.action === 'redact'
      ? `A moderator edited your ${noun}`
      : `A moderator hid your ${noun}`;
  return (
    <div className="narrow">
      <p>
        <Link to="/account/messages">Back to your messages</Link>
      </p>
      <h1>Ask for a review</h1>
      {/* Outside the form: a second request is refused here after the form has gone. */}
      <ErrorSummary feedback={feedback} labels={labels} />
      {search.get('sent') && appeal && !feedback ? (
        <div className="notice notice--success" role="status">
          <p>
            Your request has been sent. A moderator who did not make the decision can see it; you
            will get a message when they decide.
          </p>
        </div>
      ) : null}
      <dl className="summary-list">
        <div className="summary-list__row">
          <dt className="summary-list__key">Decision</dt>
          <dd className="summary-list__value">
            {decided} on recommendation {decision.recommendation.number}, “
            {decision.recommendation.title}”, in {decision.consultationTitle}.
          </dd>
        </div>
        {decision.reason ? (
          <div className="summary-list__row">
            <dt className="summary-list__key">Reason given</dt>
            <dd className="summary-list__value">{decision.reason}</dd>
          </div>
        ) : null}
        <div className="summary-list__row">
          <dt className="summary-list__key">Decided</dt>
          <dd className="summary-list__value">{formatUkDateTime(decision.decidedAt)}</dd>
        </div>
      </dl>
      <p>
        <Link to={decision.link}>See your {noun}</Link>
      </p>
      {appeal ? (
        <>
          <h2>Your request</h2>
          <p>You asked for a review on {formatUkDateTime(appeal.createdAt)}:</p>
          <blockquote className="quoted-comment">
            <p className="messages__body">{appeal.reason}</p>
          </blockquote>
          <p>
            {appeal.resolvedAt
              ? `A moderator decided on ${formatUkDateTime(appeal.resolvedAt)}: ${
                  appeal.outcomeStatus === 'hidden' ? 'it stays hidden' : 'it is visible again'
                }. Your messages say more. Each decision can be reviewed once.`
              : 'It is waiting for a moderator. Each decision can be reviewed once, so there is nothing more to send.'}
          </p>
        </>
      ) : refusal ? (
        <p>{refusal}</p>
      ) : (
        <>
          <p>
            A moderator will look at the decision again. Say briefly why you think it is wrong, for
            example what the {noun} meant, or which house rule you think it keeps. You can ask once
            for each decision.
          </p>
          <Form method="post" className="form" noValidate>
            <CharacterCount
              name="reason"
              label={labels.reason}
              max={APPEAL_REASON_MAX}
              rows={5}
              feedback={feedback}
            />
            <SubmitButton pendingText="Sending…">Ask for a review</SubmitButton>
          </Form>
        </>
      )}
    </div>
  );
}
