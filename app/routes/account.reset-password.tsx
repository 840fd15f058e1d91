import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { describeResetLink, resetPassword } from '~/.server/auth';
import { handler, submitForm } from '~/.server/http';
import { PASSWORD_HINT } from '~/lib/forms/accounts';
import { ResetPasswordSchema } from '~/lib/schemas/email';
import { ErrorSummary, TextInput } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction = () => [{ title: 'Choose a new password – Open Consultation' }];

export const loader = handler(async ({ request, db }) => {
  const token = new URL(request.url).searchParams.get('token') ?? '';
  const link = token ? await describeResetLink(db, token) : null;
  return { token, email: link?.email ?? null };
});

export const action = handler(async ({ request, db, ctx }) =>
  submitForm(request, ResetPasswordSchema, async (input) => {
    await resetPassword(db, input, ctx);
    return redirect('/login?reset=1');
  }),
);

const labels = { password: 'New password' };

export default function ResetPassword() {
  const { token, email } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  if (!email) {
    return (
      <div className="narrow">
        <h1>Choose a new password</h1>
        <ErrorSummary feedback={feedback} labels={labels} />
        <div className="notice notice--warning" role="status">
          <p>This link has expired or has already been used.</p>
        </div>
        <p>
          <Link to="/account/forgot-password">Ask for a new link</Link>.
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>Choose a new password</h1>
      <p className="lead">
        For the account <strong>{email}</strong>. Every device signed in to it will be signed out.
      </p>
      <ErrorSummary feedback={feedback} labels={labels} />
      <Form method="post" className="form" noValidate>
        <input type="hidden" name="token" value={token} />
        {/* Lets password managers file the new password under the right account. */}
        <input type="hidden" name="username" value={email} autoComplete="username" disabled />
        <TextInput
          name="password"
          label={labels.password}
          hint={PASSWORD_HINT}
          type="password"
          autoComplete="new-password"
          feedback={feedback}
          width="half"
        />
        <SubmitButton pendingText="Saving…">Save new password</SubmitButton>
      </Form>
    </div>
  );
}
