import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { handler, submitForm } from '~/.server/http';
import { readUnsubscribeToken, unsubscribe } from '~/.server/mail';
import { UnsubscribeSchema } from '~/lib/schemas/email';
import { EMAIL_TOPIC_LABELS } from '~/lib/forms/email';
import { ErrorSummary } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction = () => [{ title: 'Unsubscribe – Open Consultation' }];

// The link in an email opens this page; only a POST (our button, or a mail client's RFC 8058
// one-click request) unsubscribes, so a scanner following links changes nothing.
export const loader = handler(async ({ request, db }) => {
  const search = new URL(request.url).searchParams;
  const token = search.get('token') ?? '';
  const target = token ? await readUnsubscribeToken(db, token) : null;
  return {
    token,
    target: target ? { topic: target.topic, email: target.email } : null,
    done: search.get('done') === '1',
  };
});

export const action = handler(async ({ request, db }) =>
  submitForm(request, UnsubscribeSchema, async (input) => {
    const token = new URL(request.url).searchParams.get('token') ?? '';
    await unsubscribe(db, token);
    // RFC 8058: a mail client's one-click POST gets its answer directly, not a redirect.
    if (input['List-Unsubscribe'] === 'One-Click') return { unsubscribed: true as const };
    return redirect(`/email/unsubscribe?token=${encodeURIComponent(token)}&done=1`);
  }),
);

export default function Unsubscribe() {
  const { token, target, done: doneByLink } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const feedback = result && 'ok' in result ? result : undefined;
  const done = doneByLink || (!!result && 'unsubscribed' in result);
  return (
    <div className="narrow">
      <h1>Unsubscribe</h1>
      <ErrorSummary feedback={feedback} labels={{}} />
      {!target ? (
        <div className="notice notice--warning" role="status">
          <p>This unsubscribe link is not valid. Copy the whole link from the email.</p>
        </div>
      ) : done ? (
        <div className="notice notice--success" role="status">
          <p>
            {target.email} will no longer get emails about “
            {EMAIL_TOPIC_LABELS[target.topic].label.toLowerCase()}”. The messages are still kept on
            your Messages page.
          </p>
        </div>
      ) : (
        <Form method="post" action={`/email/unsubscribe?token=${encodeURIComponent(token)}`}>
          <p>
            Stop emails to <strong>{target.email}</strong> about “
            {EMAIL_TOPIC_LABELS[target.topic].label.toLowerCase()}”?
          </p>
          <SubmitButton pendingText="Unsubscribing…">Unsubscribe</SubmitButton>
        </Form>
      )}
      <p>
        <Link to="/account/email-preferences">Choose all your email preferences</Link> (you need to
        sign in).
      </p>
    </div>
  );
}
