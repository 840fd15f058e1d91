import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { getEmailStatus, requestEmailChange, requireSignedIn } from '~/.server/auth';
import { handler, submitForm } from '~/.server/http';
import { ChangeEmailSchema } from '~/lib/schemas/email';
import { ErrorSummary, TextInput } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction = () => [
  { title: 'Change your email address – Open Consultation' },
];

export const loader = handler(async ({ request, db, viewer }) => {
  requireSignedIn(viewer);
  return {
    status: await getEmailStatus(db, viewer),
    sentTo: new URL(request.url).searchParams.get('sent'),
  };
});

export const action = handler(async ({ request, db, viewer }) =>
  submitForm(request, ChangeEmailSchema, async (input) => {
    const { email } = await requestEmailChange(db, viewer, input);
    return redirect(`/account/email?sent=${encodeURIComponent(email)}`);
  }),
);

const labels = { email: 'New email address', currentPassword: 'Current password' };

export default function ChangeEmail() {
  const { status, sentTo } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  return (
    <div className="narrow">
      <h1>Change your email address</h1>
      {sentTo ? (
        <div className="notice notice--success" role="status">
          <p>
            We have sent a link to <strong>{sentTo}</strong>. Your address changes when you open it
            and confirm; until then it stays {status.email}.
          </p>
        </div>
      ) : null}
      <p className="lead">
        Your account uses <strong>{status.email}</strong>
        {status.confirmedAt ? '' : ' (not confirmed yet)'}. We will send a link to the new address,
        and tell this one once the change is made.
      </p>
      <ErrorSummary feedback={feedback} labels={labels} />
      <Form method="post" className="form" noValidate>
        <TextInput
          name="email"
          label={labels.email}
          type="email"
          autoComplete="email"
          feedback={feedback}
          width="half"
        />
        <TextInput
          name="currentPassword"
          label={labels.currentPassword}
          type="password"
          autoComplete="current-password"
          feedback={feedback}
          width="half"
        />
        <SubmitButton pendingText="Sending…">Send confirmation link</SubmitButton>
      </Form>
      <p>
        <Link to="/account/email-preferences">Choose which emails you get</Link>
      </p>
    </div>
  );
}
