import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { requestPasswordReset } from '~/.server/auth';
import { handler, submitForm } from '~/.server/http';
import { ForgotPasswordSchema } from '~/lib/schemas/email';
import { ErrorSummary, TextInput } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction = () => [{ title: 'Reset your password – Open Consultation' }];

export const loader = handler(async ({ request }) => ({
  sent: new URL(request.url).searchParams.get('sent') === '1',
}));

export const action = handler(async ({ request, db, ctx }) =>
  submitForm(request, ForgotPasswordSchema, async (input) => {
    await requestPasswordReset(db, input, ctx);
    return redirect('/account/forgot-password?sent=1');
  }),
);

const labels = { email: 'Email address' };

export default function ForgotPassword() {
  const { sent } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  return (
    <div className="narrow">
      <h1>Reset your password</h1>
      {sent ? (
        <div className="notice notice--success" role="status">
          <p>
            If an account uses that address, we have sent it a link to reset the password. The link
            works once, for 1 hour.
          </p>
        </div>
      ) : (
        <p className="lead">
          Enter the email address of your account and we will send you a link to choose a new
          password.
        </p>
      )}
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
        <SubmitButton pendingText="Sending…">{sent ? 'Send again' : 'Send the link'}</SubmitButton>
      </Form>
      <p>
        Remembered it? <Link to="/login">Sign in</Link>.
      </p>
    </div>
  );
}
