import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { z } from 'zod';
import { handler, submitForm } from '~/.server/http';
import { getMessages, readAllMessages } from '~/.server/notifications';
import { formatUkDateTime } from '~/lib/dates';
import { SubmitButton } from '~/ui/submit-button';
import { requireSignedIn } from '~/.server/auth';

export const meta: MetaFunction = () => [{ title: 'Your messages – Open Consultation' }];

export const loader = handler(async ({ db, viewer, request }) => {
  requireSignedIn(viewer);
  return getMessages(db, viewer, new URL(request.url).searchParams.get('after'));
});

const ReadAllSchema = z.strictObject({ intent: z.literal('read-all') });

export const action = handler(async ({ request, db, viewer }) =>
  submitForm(request, ReadAllSchema, async () => {
    await readAllMessages(db, viewer);
    return redirect('/account/messages?read=1');
  }),
);

export default function Messages() {
  const { messages, unread, nextCursor } = useLoaderData<typeof loader>();
  const [search] = useSearchParams();
  return (
    <>
      <h1>Your messages</h1>
      <p className="lead">
        Decisions about your comments and responses. We keep every message here, whether or not an
        email reached you.
      </p>
      {search.get('read') ? (
        <div className="notice notice--success" role="status">
          <p>All messages are marked as read.</p>
        </div>
      ) : null}
      {unread > 0 ? (
        <Form method="post" className="button-row">
          <input type="hidden" name="intent" value="read-all" />
          <p>
            {unread} unread {unread === 1 ? 'message' : 'messages'}.
          </p>
          <SubmitButton variant="secondary" pendingText="Marking…">
            Mark all as read
          </SubmitButton>
        </Form>
      ) : null}
      {messages.length ? (
        <ol className="messages">
          {messages.map((m) => (
            <li key={m.id}>
              <h2>
                {m.read_at ? null : (
                  <>
                    <strong className="tag tag--upcoming">New</strong>{' '}
                  </>
                )}
                {m.subject}
              </h2>
              <p className="muted">{formatUkDateTime(m.created_at)}</p>
              <p className="messages__body">{m.body}</p>
              {m.link || m.appeal_decision_id ? (
                <p className="button-row">
                  {m.link ? (
                    <Link to={m.link}>
                      See it<span className="visually-hidden">: {m.subject}</span>
                    </Link>
                  ) : null}
                  {m.appeal_decision_id ? (
                    <Link to={`/account/appeals/${m.appeal_decision_id}`}>
                      Ask for a review<span className="visually-hidden">: {m.subject}</span>
                    </Link>
                  ) : null}
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <p>You have no messages.</p>
      )}
      {nextCursor ? (
        <p>
          <Link to={`?after=${nextCursor}`}>Older messages</Link>
        </p>
      ) : null}
    </>
  );
}
