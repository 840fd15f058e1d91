import { ukDateParts } from '~/lib/date-parts';
import { DateFields } from '~/ui/date-fields';
import { redirect, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { handler, submitForm } from '~/.server/http';
import {
  changeSuspendedContent,
  getAccountForOrganiser,
  liftSuspension,
  suspendAccount,
} from '~/.server/suspensions';
import { revokeVerification } from '~/.server/verification';
import { formatUkDate, formatUkDateTime } from '~/lib/dates';
import { SEGMENT_LABELS } from '~/lib/forms/accounts';
import { AccountActionSchema } from '~/lib/schemas/trust';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ErrorSummary, Radios, TextArea, type FormFeedback } from '~/ui/form';
import { SummaryList } from '~/ui/questionnaire';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.account.displayName ?? 'Account'} – Open Consultation` },
];

export const loader = handler(async ({ db, viewer, params }) =>
  getAccountForOrganiser(db, viewer, params.userId!),
);

export const action = handler(async ({ request, db, viewer, params, ctx }) =>
  submitForm(request, AccountActionSchema, async (input) => {
    const userId = params.userId!;
    if (input.intent === 'suspend') await suspendAccount(db, viewer, userId, input, ctx);
    else if (input.intent === 'lift') await liftSuspension(db, viewer, userId, input, ctx);
    else if (input.intent === 'revoke-verification') {
      await revokeVerification(db, viewer, userId, input.note, ctx);
    } else await changeSuspendedContent(db, viewer, userId, input, ctx);
    return redirect(`/organise/accounts/${userId}?done=${input.intent}`);
  }),
);

const DONE: Record<string, string> = {
  suspend: 'The account is suspended. Its sessions have ended and it has been sent a message.',
  lift: 'The suspension is lifted. The person has been sent a message.',
  'hide-content': 'Their comments are hidden.',
  'restore-content': 'Their comments hidden by the suspension are shown again.',
  'revoke-verification': 'The verified badge is removed. The person has been sent a message.',
};

const labels = {
  reason: 'Reason',
  length: 'How long',
  until: 'End date and time',
  hideContent: 'Hide their comments',
  note: 'Why',
};

function feedbackFor(feedback: FormFeedback | undefined, intent: string) {
  return feedback?.values?.intent === intent ? feedback : undefined;
}

export default function Account() {
  const {
    account: a,
    activeSuspensionId,
    suspensions,
    publicComments,
    isStaff,
    isSelf,
  } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const [params] = useSearchParams();
  const done = DONE[params.get('done') ?? ''];
  const active = suspensions.find((s) => s.id === activeSuspensionId);
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/organise', label: 'Organise' },
          { to: '/organise/accounts', label: 'Accounts' },
        ]}
      />
      <h1>
        <span className="caption">Account</span>
        {a.displayName}
      </h1>
      {done && !feedback ? (
        <div className="notice notice--success" role="status">
          <p>{done}</p>
        </div>
      ) : null}
      <ErrorSummary feedback={feedback} labels={labels} />
      <div className="grid grid--main-aside">
        <div>
          <SummaryList
            rows={[
              { key: 'email', label: 'Email address', value: a.email },
              { key: 'segment', label: 'Group', value: SEGMENT_LABELS[a.segment] },
              { key: 'org', label: 'Organisation', value: a.organisation ?? 'Not given' },
              {
                key: 'verified',
                label: 'Verified',
                value: a.verified ? `Yes, as ${a.verifiedRole} at ${a.organisation}` : 'No',
              },
              {
                key: 'status',
                label: 'Status',
                value: active
                  ? `Suspended ${active.endsAt ? `until ${formatUkDateTime(active.endsAt)}` : 'until lifted'}`
                  : 'Can take part',
              },
              {
                key: 'comments',
                label: 'Published or held comments',
                value: String(publicComments),
              },
              { key: 'since', label: 'Account created', value: formatUkDate(a.createdAt) },
            ]}
          />

          {active ? (
            <section aria-labelledby="lift-heading" className="panel">
              <h2 id="lift-heading">Lift the suspension</h2>
              <p>
                Suspended by {active.createdByName ?? 'an organiser'} on{' '}
                {formatUkDateTime(active.startsAt)}. Reason: {active.reason}
              </p>
              <Form method="post" className="form" noValidate>
                <TextArea
                  name="reason"
                  label="Why you are lifting it"
                  feedback={feedbackFor(feedback, 'lift')}
                  rows={2}
                  maxLength={1000}
                />
                <div className="checkbox">
                  <input
                    type="checkbox"
                    id="restoreContent"
                    name="restoreContent"
                    value="yes"
                    defaultChecked
                  />
                  <label htmlFor="restoreContent">
                    Show again the comments this suspension hid ({active.hiddenComments})
                  </label>
                </div>
                <SubmitButton name="intent" value="lift" pendingText="Lifting…">
                  Lift suspension
                </SubmitButton>
              </Form>
              {publicComments > 0 ? (
                <Form method="post">
                  <input type="hidden" name="suspensionId" value={active.id} />
                  <p>
                    {publicComments} of their comments are still published or held.{' '}
                    <SubmitButton
                      name="intent"
                      value="hide-content"
                      variant="secondary"
                      pendingText="Hiding…"
                    >
                      Hide all their comments
                    </SubmitButton>
                  </p>
                </Form>
              ) : null}
            </section>
          ) : isStaff || isSelf ? (
            <p>
              {isSelf
                ? 'You cannot suspend your own account.'
                : 'This account is a moderator or organiser. Remove its roles on the team pages before suspending it.'}
            </p>
          ) : (
            <section aria-labelledby="suspend-heading">
              <h2 id="suspend-heading">Suspend this account</h2>
              <p>
                A suspended account can still read everything, but cannot respond, comment, reply,
                endorse, mark comments helpful or report them. It is signed out everywhere now.
              </p>
              <Form method="post" className="form narrow" noValidate>
                <TextArea
                  name="reason"
                  label="Reason (the person will see this)"
                  feedback={feedbackFor(feedback, 'suspend')}
                  rows={3}
                  maxLength={1000}
                />
                <Radios
                  name="length"
                  legend="How long"
                  feedback={feedbackFor(feedback, 'suspend')}
                  defaultValue="7d"
                  options={[
                    { value: '1d', label: '1 day' },
                    { value: '7d', label: '7 days' },
                    { value: '30d', label: '30 days' },
                    {
                      value: 'until',
                      label: 'Until a date',
                      conditional: (
                        <DateFields
                          name="until"
                          withTime
                          legend="End date and time (UK time)"
                          feedback={feedbackFor(feedback, 'suspend')}
                          defaultValue={ukDateParts(null)}
                        />
                      ),
                    },
                    { value: 'permanent', label: 'Until an organiser lifts it' },
                  ]}
                />
                <div className="checkbox">
                  <input type="checkbox" id="hideContent" name="hideContent" value="yes" />
                  <label htmlFor="hideContent">
                    Also hide all their comments ({publicComments}). Lifting the suspension can show
                    them again.
                  </label>
                </div>
                <SubmitButton
                  name="intent"
                  value="suspend"
                  variant="warning"
                  pendingText="Suspending…"
                >
                  Suspend account
                </SubmitButton>
              </Form>
            </section>
          )}

          {a.verified ? (
            <section aria-labelledby="revoke-heading">
              <h2 id="revoke-heading">Remove the verified badge</h2>
              <Form method="post" className="form narrow" noValidate>
                <TextArea
                  name="note"
                  label="Why (the person will see this)"
                  feedback={feedbackFor(feedback, 'revoke-verification')}
                  rows={2}
                  maxLength={1000}
                />
                <SubmitButton
                  name="intent"
                  value="revoke-verification"
                  variant="secondary"
                  pendingText="Removing…"
                >
                  Remove badge
                </SubmitButton>
              </Form>
            </section>
          ) : null}
        </div>

        <aside aria-labelledby="history-heading">
          <h2 id="history-heading">Suspensions</h2>
          {suspensions.length ? (
            <ul className="card-list">
              {suspensions.map((s) => (
                <li key={s.id} className="card">
                  <p>
                    <strong>{formatUkDate(s.startsAt)}</strong>{' '}
                    {s.endsAt ? `to ${formatUkDate(s.endsAt)}` : 'until lifted'}, by{' '}
                    {s.createdByName ?? 'an organiser'}
                  </p>
                  <p>{s.reason}</p>
                  {s.liftedAt ? (
                    <p className="muted">
                      {s.liftedByName
                        ? `Lifted by ${s.liftedByName} on ${formatUkDateTime(s.liftedAt)}: ${s.liftReason}`
                        : `Ran out on ${formatUkDateTime(s.liftedAt)}`}
                    </p>
                  ) : null}
                  {s.hiddenComments > 0 && s.id !== activeSuspensionId ? (
                    <Form method="post">
                      <input type="hidden" name="suspensionId" value={s.id} />
                      <SubmitButton
                        name="intent"
                        value="restore-content"
                        variant="secondary"
                        pendingText="Restoring…"
                      >
                        Show again {s.hiddenComments} hidden comments
                      </SubmitButton>
                    </Form>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : (
            <p>Never suspended.</p>
          )}
        </aside>
      </div>
    </>
  );
}
