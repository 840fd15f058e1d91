import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { z } from 'zod';
import {
  describeEmailLink,
  followConfirmationLink,
  getEmailStatus,
  resendConfirmation,
} from '~/.server/auth';
import { handler, submitForm } from '~/.server/http';
import { safeRedirect, safeRedirectPath } from '~/lib/schemas/accounts';
import { ErrorSummary } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction = () => [
  { title: 'Confirm your email address – Open Consultation' },
];

// Opening the link only shows this page: mail scanners follow links, and must not use them up.
export const loader = handler(async ({ request, db, viewer }) => {
  const search = new URL(request.url).searchParams;
  const token = search.get('token');
  return {
    token,
    link: token ? await describeEmailLink(db, token) : null,
    status: viewer ? await getEmailStatus(db, viewer) : null,
    // Where a sign-up was going: the link carries it, and pressing the button goes on there.
    next: safeRedirectPath(search.get('next') ?? undefined),
    done: search.get('done'),
    sentTo: search.get('sent'),
  };
});

const ConfirmEmailSchema = z.discriminatedUnion('intent', [
  z.strictObject({
    intent: z.literal('confirm'),
    token: z.string().min(1).max(200),
    next: safeRedirect,
  }),
  z.strictObject({ intent: z.literal('resend') }),
]);

export const action = handler(async ({ request, db, viewer, ctx }) =>
  submitForm(request, ConfirmEmailSchema, async (input) => {
    if (input.intent === 'resend') {
      const sent = await resendConfirmation(db, viewer);
      return redirect(
        sent.alreadyConfirmed
          ? '/account/confirm-email'
          : `/account/confirm-email?sent=${encodeURIComponent(sent.email)}`,
      );
    }
    const confirmed = await followConfirmationLink(db, input.token, viewer, ctx);
    const headers = confirmed.cookie ? { 'Set-Cookie': confirmed.cookie } : undefined;
    if (confirmed.purpose === 'confirm_email' && input.next !== '/') {
      return redirect(input.next, { headers });
    }
    return redirect(`/account/confirm-email?done=${confirmed.purpose}`, { headers });
  }),
);

export default function ConfirmEmail() {
  const { token, link, status, done, sentTo, next } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  return (
    <div className="narrow">
      <h1>Confirm your email address</h1>
      <ErrorSummary feedback={feedback} labels={{}} />
      {done ? (
        <div className="notice notice--success" role="status">
          <p>
            {done === 'change_email'
              ? 'Your new email address is confirmed and is now the address of your account.'
              : 'Your email address is confirmed. You can now respond, comment and endorse.'}
          </p>
        </div>
      ) : null}
      {sentTo ? (
        <div className="notice notice--success" role="status">
          <p>
            We have sent a new link to <strong>{sentTo}</strong>. Earlier links no longer work.
          </p>
        </div>
      ) : null}
      {token && !done ? (
        link ? (
          <Form method="post" className="form">
            <input type="hidden" name="token" value={token} />
            <input type="hidden" name="next" value={next} />
            <p>
              Press the button to confirm <strong>{link.email}</strong>
              {link.purpose === 'change_email' ? ' as the new address of your account' : ''}.
            </p>
            <SubmitButton name="intent" value="confirm" pendingText="Confirming…">
              Confirm email address
            </SubmitButton>
          </Form>
        ) : (
          <div className="notice notice--warning" role="status">
            <p>This link has expired or has already been used.</p>
          </div>
        )
      ) : null}
      {status ? (
        status.confirmedAt ? (
          !done ? (
            <p>The address of your account, {status.email}, is confirmed.</p>
          ) : null
        ) : (
          <Form method="post" className="form">
            <p>
              Your address <strong>{status.email}</strong> is not confirmed yet. Open the link in
              the email we sent you. Until then you cannot submit a response, comment, endorse or be
              given a role.
            </p>
            <p>
              No email? Check your spam folder, or{' '}
              <Link to="/account/email">change the address</Link> if it is wrong.
            </p>
            <SubmitButton name="intent" value="resend" variant="secondary" pendingText="Sending…">
              Send the link again
            </SubmitButton>
          </Form>
        )
      ) : done ? (
        <p>
          <Link to="/login">Sign in</Link> to continue.
        </p>
      ) : (
        <p>
          <Link to="/login?redirectTo=%2Faccount%2Fconfirm-email">Sign in</Link> to send a new link.
        </p>
      )}
    </div>
  );
}
