import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { z } from 'zod';
import { handler, submitForm } from '~/.server/http';
import { acceptInvitation, describeInvitation } from '~/.server/team';
import { formatUkDateTime } from '~/lib/dates';
import { ErrorSummary } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction = () => [{ title: 'Invitation to the team – Open Consultation' }];

// Opening the link only shows this page: mail scanners follow links, and must not accept them.
export const loader = handler(async ({ request, db, viewer }) => {
  const url = new URL(request.url);
  const token = url.searchParams.get('token') ?? '';
  return {
    token,
    here: `${url.pathname}${url.search}`,
    invitation: await describeInvitation(db, viewer, token),
  };
});

const AcceptSchema = z.strictObject({ token: z.string().min(1).max(200) });

export const action = handler(async ({ request, db, viewer, ctx }) =>
  submitForm(request, AcceptSchema, async (input) => {
    await acceptInvitation(db, viewer, input.token, ctx);
    return redirect(`/invitations/accept?token=${encodeURIComponent(input.token)}`);
  }),
);

const ROLE_LABELS = { moderator: 'moderator', organiser: 'organiser' } as const;

export default function AcceptInvitation() {
  const { token, here, invitation: i } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  if (!i) {
    return (
      <div className="narrow">
        <h1>Invitation to the team</h1>
        <div className="notice notice--warning" role="status">
          <p>
            This invitation link is not valid. Check that you copied all of it, or ask the
            organisers to send the invitation again (a new link replaces the old one).
          </p>
        </div>
      </div>
    );
  }
  const what = i.consultation
    ? `a ${ROLE_LABELS[i.role]} of ${i.consultation.title}`
    : `a site-wide ${ROLE_LABELS[i.role]}`;
  const tools = i.role === 'organiser' ? 'Open the organiser pages' : 'Open the moderation pages';
  const back = encodeURIComponent(here);
  return (
    <div className="narrow">
      <h1>Invitation to be {what}</h1>
      <ErrorSummary feedback={feedback} labels={{}} />
      {i.acceptedByYou ? (
        <>
          <div className="notice notice--success" role="status">
            <p>You are now {what}.</p>
          </div>
          <p>
            <Link to={i.staffHome}>{tools}</Link>
          </p>
        </>
      ) : i.message ? (
        <div className="notice notice--warning" role="status">
          <p>{i.message}</p>
        </div>
      ) : (
        <>
          <p>
            {i.invitedByName ?? 'The site organisers'} invited <strong>{i.email}</strong> to be{' '}
            {what}.{' '}
            {i.role === 'organiser'
              ? 'Organisers edit consultations, read their responses and manage their teams.'
              : 'Moderators review reported and held comments.'}{' '}
            The invitation expires on {formatUkDateTime(i.expiresAt)}.
          </p>
          {!i.you ? (
            <>
              <p>
                To accept, sign in with <strong>{i.email}</strong>. If you have no account yet,
                create one with that address and confirm it with the link we email you, then open
                this invitation again.
              </p>
              <p>
                <Link className="button" to={`/login?redirectTo=${back}`}>
                  Sign in to accept
                </Link>{' '}
                <Link className="button button--secondary" to={`/signup?redirectTo=${back}`}>
                  Create an account to accept
                </Link>
              </p>
            </>
          ) : !i.you.matches ? (
            <div className="notice notice--warning" role="status">
              <p>
                This invitation is for <strong>{i.email}</strong>, and you are signed in as{' '}
                <strong>{i.you.email}</strong>. Only the owner of {i.email} can accept it: sign out,
                then sign in with that address and open the link again.
              </p>
              <Form method="post" action="/logout">
                <SubmitButton variant="secondary" pendingText="Signing out…">
                  Sign out
                </SubmitButton>
              </Form>
            </div>
          ) : !i.you.confirmed ? (
            <div className="notice notice--warning" role="status">
              <p>
                Confirm your email address first: open the link we sent to {i.email}, then come back
                to this invitation.
              </p>
              <p>
                <Link to="/account/confirm-email">Send the confirmation link again</Link>
              </p>
            </div>
          ) : (
            <Form method="post" className="form">
              <input type="hidden" name="token" value={token} />
              <SubmitButton pendingText="Accepting…">Accept invitation</SubmitButton>
            </Form>
          )}
        </>
      )}
    </div>
  );
}
