import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { handler, submitForm } from '~/.server/http';
import { getMyVerification, requestVerification } from '~/.server/verification';
import { formatUkDateTime } from '~/lib/dates';
import { VerificationRequestSchema } from '~/lib/schemas/trust';
import { ErrorSummary, TextArea, TextInput } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';
import { requireSignedIn } from '~/.server/auth';

export const meta: MetaFunction = () => [{ title: 'Verification – Open Consultation' }];

export const loader = handler(async ({ db, viewer }) =>
  getMyVerification(db, requireSignedIn(viewer)),
);

export const action = handler(async ({ request, db, viewer, ctx }) =>
  submitForm(request, VerificationRequestSchema, async (input) => {
    await requestVerification(db, requireSignedIn(viewer), input, ctx);
    return redirect('/account/verification?sent=1');
  }),
);

const labels = {
  organisation: 'Organisation',
  role: 'Your role there',
  evidence: 'How we can check this',
  evidenceUrl: 'A link that shows it (optional)',
};

const STATUS_LABELS = {
  pending: 'Waiting for the organisers',
  approved: 'Approved',
  rejected: 'Not approved',
  revoked: 'Withdrawn by the organisers',
} as const;

export default function Verification() {
  const v = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="narrow">
      <h1>Verify your organisation</h1>
      {params.get('sent') && !feedback ? (
        <div className="notice notice--success" role="status">
          <p>Your request has been sent. You will get a message when the organisers decide.</p>
        </div>
      ) : null}
      {v.verified ? (
        <p>
          <span className="badge">Verified</span> You are verified as {v.verifiedRole} at{' '}
          {v.organisation}. The badge shows on your comments, your endorsements and your named
          responses.
        </p>
      ) : (
        <p>
          A verified badge tells readers that the organisers checked who you speak for. It shows on
          your comments, your endorsements (including those on behalf of your organisation) and your
          named responses.
        </p>
      )}
      {v.pending ? (
        <div className="panel">
          <h2>Your request is waiting</h2>
          <p>
            {v.pending.role} at {v.pending.organisation}, sent{' '}
            {formatUkDateTime(v.pending.createdAt)}.
          </p>
        </div>
      ) : (
        <>
          <h2>
            {v.verified ? 'Ask again for a different organisation or role' : 'Ask to be verified'}
          </h2>
          <ErrorSummary feedback={feedback} labels={labels} />
          <Form method="post" className="form" noValidate>
            <TextInput
              name="organisation"
              label={labels.organisation}
              hint="The company, fund or body you speak for."
              feedback={feedback}
              defaultValue={v.organisation ?? ''}
              maxLength={200}
            />
            <TextInput
              name="role"
              label={labels.role}
              hint="For example: founder, partner, policy lead."
              feedback={feedback}
              maxLength={200}
            />
            <TextArea
              name="evidence"
              label={labels.evidence}
              hint="Say where we can confirm it: a team page, a company register entry, a work email address we can write to."
              feedback={feedback}
              rows={4}
              maxLength={2000}
            />
            <TextInput
              name="evidenceUrl"
              type="url"
              label={labels.evidenceUrl}
              hint="A web address starting with https://"
              feedback={feedback}
              maxLength={2000}
            />
            <SubmitButton pendingText="Sending…">Send request</SubmitButton>
          </Form>
        </>
      )}
      {v.requests.length ? (
        <>
          <h2>Your requests</h2>
          <ul className="card-list">
            {v.requests.map((r) => (
              <li key={r.id} className="card">
                <p>
                  <strong>
                    {r.role} at {r.organisation}
                  </strong>
                  : {STATUS_LABELS[r.status]}
                </p>
                <p className="muted">
                  Sent {formatUkDateTime(r.createdAt)}
                  {r.decidedAt ? `; decided ${formatUkDateTime(r.decidedAt)}` : ''}
                </p>
                {r.decisionNote ? <p>Note from the organisers: {r.decisionNote}</p> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <p>
        <Link to="/account/profile">Back to your details</Link>
      </p>
    </div>
  );
}
