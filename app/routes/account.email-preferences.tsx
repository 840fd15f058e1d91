import { redirect, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { handler, submitForm } from '~/.server/http';
import { EMAIL_TOPICS, getEmailPreferences, saveEmailPreferences } from '~/.server/mail';
import { EmailPreferencesSchema } from '~/lib/schemas/email';
import { EMAIL_TOPIC_LABELS } from '~/lib/forms/email';
import { ErrorSummary } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';
import { requireSignedIn } from '~/.server/auth';

export const meta: MetaFunction = () => [{ title: 'Email preferences – Open Consultation' }];

export const loader = handler(async ({ request, db, viewer }) => {
  requireSignedIn(viewer);
  return {
    preferences: await getEmailPreferences(db, viewer),
    topics: EMAIL_TOPICS,
    saved: new URL(request.url).searchParams.get('saved') === '1',
  };
});

export const action = handler(async ({ request, db, viewer }) =>
  submitForm(request, EmailPreferencesSchema, async (input) => {
    await saveEmailPreferences(db, viewer, input);
    return redirect('/account/email-preferences?saved=1');
  }),
);

export default function EmailPreferences() {
  const { preferences, topics, saved } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  return (
    <div className="narrow">
      <h1>Email preferences</h1>
      {saved ? (
        <div className="notice notice--success" role="status">
          <p>Your email preferences are saved.</p>
        </div>
      ) : null}
      <ErrorSummary feedback={feedback} labels={{}} />
      <p className="lead">
        Every message is also kept on your Messages page. Emails about your account itself
        (confirming your address, resetting your password, the copy of a response) are always sent.
      </p>
      <Form method="post" className="form">
        <fieldset className="fieldset">
          <legend className="field__label">Send me an email about</legend>
          {topics.map((topic) => (
            <div className="checkbox" key={topic}>
              <input
                type="checkbox"
                id={`topic-${topic}`}
                name={topic}
                value="on"
                defaultChecked={preferences[topic]}
                aria-describedby={`topic-${topic}-hint`}
              />
              <label htmlFor={`topic-${topic}`}>{EMAIL_TOPIC_LABELS[topic].label}</label>
              <p className="field__hint" id={`topic-${topic}-hint`}>
                {EMAIL_TOPIC_LABELS[topic].hint}
              </p>
            </div>
          ))}
        </fieldset>
        <SubmitButton pendingText="Saving…">Save preferences</SubmitButton>
      </Form>
    </div>
  );
}
