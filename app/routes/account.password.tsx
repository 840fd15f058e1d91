import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { changePassword, requireSignedIn } from '~/.server/auth';
import { handler, submitForm } from '~/.server/http';
import { PASSWORD_HINT } from '~/lib/forms/accounts';
import { ChangePasswordSchema } from '~/lib/schemas/email';
import { ErrorSummary, TextInput } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction = () => [{ title: 'Change your password – Open Consultation' }];

export const loader = handler(async ({ request, viewer }) => {
  const me = requireSignedIn(viewer);
  return { email: me.email, changed: new URL(request.url).searchParams.get('changed') === '1' };
});

export const action = handler(async ({ request, db, viewer, ctx }) =>
  submitForm(request, ChangePasswordSchema, async (input) => {
    await changePassword(db, viewer, input, ctx);
    return redirect('/account/password?changed=1');
  }),
);

const labels = { currentPassword: 'Current password', password: 'New password' };

export default function ChangePassword() {
  const { email, changed } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  return (
    <div className="narrow">
      <h1>Change your password</h1>
      {changed ? (
        <div className="notice notice--success" role="status">
          <p>
            Your password has been changed. Other devices signed in to your account are signed out.
          </p>
        </div>
      ) : null}
      <ErrorSummary feedback={feedback} labels={labels} />
      <Form method="post" className="form" noValidate>
        <input type="hidden" name="username" value={email} autoComplete="username" disabled />
        <TextInput
          name="currentPassword"
          label={labels.currentPassword}
          type="password"
          autoComplete="current-password"
          feedback={feedback}
          width="half"
        />
        <TextInput
          name="password"
          label={labels.password}
          hint={`${PASSWORD_HINT} Other devices signed in to your account will be signed out.`}
          type="password"
          autoComplete="new-password"
          feedback={feedback}
          width="half"
        />
        <SubmitButton pendingText="Saving…">Change password</SubmitButton>
      </Form>
      <p>
        <Link to="/account/forgot-password">Forgot your current password?</Link>
      </p>
    </div>
  );
}
