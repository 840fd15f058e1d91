import { redirect, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData, useLocation, useSearchParams } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { handler, submitForm } from '~/.server/http';
import { changeTeam, getTeam } from '~/.server/team';
import { formatUkDate, formatUkDateTime } from '~/lib/dates';
import { TeamSchema } from '~/lib/schemas/trust';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ErrorSummary, Radios, TextInput } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';
import { ScrollRegion } from '~/ui/scroll-region';
import { STAFF_ROLES } from '~/lib/enums';

export const meta: MetaFunction = () => [{ title: 'Team – Open Consultation' }];

export const loader = handler(async ({ db, viewer, params }) => getTeam(db, viewer, params.slug!));

export const action = handler(async ({ request, db, viewer, params, ctx }) =>
  submitForm(request, TeamSchema, async (input) => {
    await changeTeam(db, viewer, params.slug!, input, ctx);
    return redirect(`/organise/${params.slug}/team?done=${input.intent}`);
  }),
);

const DONE_MESSAGES: Record<string, string> = {
  grant:
    'Invitation sent. They join the team when they accept it, signed in with that email address.',
  'resend-invitation': 'Invitation sent again, with a new link. The earlier link no longer works.',
  'revoke-invitation': 'Invitation withdrawn. Its link no longer works.',
  revoke: 'Removed from the team. They have been sent a message saying so.',
};

const ROLE_LABELS = { moderator: 'Moderator', organiser: 'Organiser' } as const;

export default function Team() {
  const { consultation: c, members, invitations } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const [params] = useSearchParams();
  const location = useLocation();
  const done = DONE_MESSAGES[params.get('done') ?? ''];
  const grantFeedback = feedback?.values?.intent === 'grant' ? feedback : undefined;
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
        Team
      </h1>
      {done && !feedback ? (
        <div className="notice notice--success" role="status">
          <p>{done}</p>
        </div>
      ) : null}
      <ErrorSummary feedback={feedback} labels={{ email: 'Email address', role: 'Role' }} />
      <ScrollRegion label="Moderators and organisers (table)">
        <table className="table">
          <caption className="visually-hidden">Moderators and organisers of {c.title}</caption>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Role</th>
              <th scope="col">Since</th>
              <th scope="col" className="actions">
                Change
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.grantId}>
                <td>
                  {m.displayName}
                  <br />
                  <span className="muted">{m.email}</span>
                </td>
                <td>
                  {ROLE_LABELS[m.role]}
                  {m.siteWide ? <span className="muted"> (every consultation)</span> : null}
                </td>
                <td>
                  {formatUkDate(m.since)}
                  {m.grantedByName ? <span className="muted">, by {m.grantedByName}</span> : null}
                </td>
                <td className="actions">
                  {m.siteWide ? (
                    <span className="muted">Site-wide role</span>
                  ) : (
                    <Form method="post">
                      <input type="hidden" name="grantId" value={m.grantId} />
                      <button
                        type="submit"
                        name="intent"
                        value="revoke"
                        className="button button--secondary"
                      >
                        Remove
                        <span className="visually-hidden">
                          {' '}
                          {m.displayName} as {ROLE_LABELS[m.role].toLowerCase()}
                        </span>
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>

      <h2 id="invitations">Invitations waiting for an answer</h2>
      {invitations.length === 0 ? (
        <p>No invitations are waiting.</p>
      ) : (
        <ScrollRegion label="Invitations waiting for an answer (table)">
          <table className="table">
            <caption className="visually-hidden">Invitations to the team of {c.title}</caption>
            <thead>
              <tr>
                <th scope="col">Email address</th>
                <th scope="col">Role</th>
                <th scope="col">Invited by</th>
                <th scope="col">Link expires</th>
                <th scope="col" className="actions">
                  Change
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((i) => (
                <tr key={i.invitationId}>
                  <td>{i.email}</td>
                  <td>{ROLE_LABELS[i.role]}</td>
                  <td>
                    {i.invitedByName ?? <span className="muted">A former organiser</span>}
                    <br />
                    <span className="muted">sent {formatUkDate(i.sentAt)}</span>
                  </td>
                  <td>
                    {i.expired ? (
                      <strong>Expired {formatUkDate(i.expiresAt)}</strong>
                    ) : (
                      formatUkDateTime(i.expiresAt)
                    )}
                  </td>
                  <td className="actions">
                    <Form method="post">
                      <input type="hidden" name="invitationId" value={i.invitationId} />
                      <button
                        type="submit"
                        name="intent"
                        value="resend-invitation"
                        className="button button--secondary"
                      >
                        Resend
                        <span className="visually-hidden"> the invitation to {i.email}</span>
                      </button>{' '}
                      <button
                        type="submit"
                        name="intent"
                        value="revoke-invitation"
                        className="button button--warning"
                      >
                        Revoke
                        <span className="visually-hidden"> the invitation to {i.email}</span>
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}

      <h2 id="add">Invite someone to the team</h2>
      <p>
        We email them a link. They join the team when they accept it, signed in to an account whose
        confirmed email address is the one you enter (they can create the account from the link).
        The link works for 7 days.
      </p>
      {/* Keyed by visit, so the form starts empty again after a successful invitation. */}
      <Form method="post" className="form narrow" noValidate key={location.key}>
        <TextInput
          name="email"
          type="email"
          label="Their email address"
          autoComplete="off"
          feedback={grantFeedback}
        />
        <Radios
          name="role"
          legend="Role"
          feedback={grantFeedback}
          defaultValue="moderator"
          options={STAFF_ROLES.map((role) => ({
            value: role,
            label: ROLE_LABELS[role],
            hint:
              role === 'moderator'
                ? 'Reviews reported and held comments on this consultation.'
                : 'Edits this consultation, reads its responses and manages its team.',
          }))}
        />
        <SubmitButton name="intent" value="grant" pendingText="Sending…">
          Send invitation
        </SubmitButton>
      </Form>
    </>
  );
}
