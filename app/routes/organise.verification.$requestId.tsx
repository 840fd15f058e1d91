import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { handler, submitForm } from '~/.server/http';
import { decideVerification, getVerificationRequest } from '~/.server/verification';
import { formatUkDateTime } from '~/lib/dates';
import { SEGMENT_LABELS } from '~/lib/forms/accounts';
import { VerificationDecisionSchema } from '~/lib/schemas/trust';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ErrorSummary, Radios, TextArea } from '~/ui/form';
import { SummaryList } from '~/ui/questionnaire';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction = () => [{ title: 'Verification request – Open Consultation' }];

export const loader = handler(async ({ db, viewer, params }) =>
  getVerificationRequest(db, viewer, params.requestId!),
);

export const action = handler(async ({ request, db, viewer, params, ctx }) =>
  submitForm(request, VerificationDecisionSchema, async (input) => {
    await decideVerification(db, viewer, params.requestId!, input, ctx);
    return redirect(`/organise/verification/${params.requestId}?decided=1`);
  }),
);

const STATUS_LABELS = {
  pending: 'Waiting for a decision',
  approved: 'Approved',
  rejected: 'Rejected',
  revoked: 'Revoked',
} as const;

export default function VerificationRequest() {
  const r = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="narrow">
      <Breadcrumbs
        items={[
          { to: '/organise', label: 'Organise' },
          { to: '/organise/verification', label: 'Verification requests' },
        ]}
      />
      <h1>
        <span className="caption">Verification request</span>
        {r.displayName}
      </h1>
      {params.get('decided') && !feedback ? (
        <div className="notice notice--success" role="status">
          <p>Decision saved. {r.displayName} has been sent a message.</p>
        </div>
      ) : null}
      <SummaryList
        rows={[
          { key: 'status', label: 'Status', value: STATUS_LABELS[r.status] },
          { key: 'as', label: 'Asks to be verified as', value: `${r.role} at ${r.organisation}` },
          {
            key: 'person',
            label: 'Account',
            value: (
              <>
                <Link to={`/organise/accounts/${r.userId}`}>{r.email}</Link> (
                {SEGMENT_LABELS[r.segment]}
                {r.profileOrganisation ? `, profile says ${r.profileOrganisation}` : ''})
              </>
            ),
          },
          { key: 'evidence', label: 'Evidence', value: r.evidence },
          {
            key: 'link',
            label: 'Evidence link',
            value: r.evidenceUrl ? (
              <a href={r.evidenceUrl} rel="noopener noreferrer nofollow" target="_blank">
                {r.evidenceUrl} (opens in a new tab)
              </a>
            ) : (
              'None given'
            ),
          },
          { key: 'sent', label: 'Sent', value: formatUkDateTime(r.createdAt) },
          ...(r.decidedAt
            ? [
                {
                  key: 'decided',
                  label: 'Decided',
                  value: `${formatUkDateTime(r.decidedAt)}${r.decidedByName ? ` by ${r.decidedByName}` : ''}${r.decisionNote ? `: ${r.decisionNote}` : ''}`,
                },
              ]
            : []),
        ]}
      />
      {r.status === 'pending' ? (
        <>
          <h2>Decide</h2>
          <ErrorSummary feedback={feedback} labels={{ decision: 'Decision', note: 'Note' }} />
          <Form method="post" className="form" noValidate>
            <Radios
              name="decision"
              legend="Can you confirm this?"
              feedback={feedback}
              options={[
                {
                  value: 'approve',
                  label: 'Approve',
                  hint: `Their comments, endorsements and named responses show a verified badge for ${r.organisation}.`,
                },
                { value: 'reject', label: 'Reject', hint: 'Say why in the note.' },
              ]}
            />
            <TextArea
              name="note"
              label="Note to the person (needed to reject)"
              feedback={feedback}
              rows={3}
              maxLength={1000}
            />
            <SubmitButton pendingText="Saving…">Save decision</SubmitButton>
          </Form>
        </>
      ) : null}
    </div>
  );
}
