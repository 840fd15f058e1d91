import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { signIn } from '~/.server/auth';
import { handler, redirectIfSignedIn, submitForm } from '~/.server/http';
import { SignInSchema } from '~/lib/schemas/accounts';
import { ErrorSummary, TextInput } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction = () => [{ title: 'Sign in – Open Consultation' }];

export const loader = handler(async ({ request, viewer }) => ({
  ...redirectIfSignedIn(request, viewer),
  // Set when a form was sent after the session ended and its values were kept (see http.ts).
  kept: new URL(request.url).searchParams.get('kept') === '1',
  reset: new URL(request.url).searchParams.get('reset') === '1',
}));

export const action = handler(async ({ request, db, ctx }) =>
  submitForm(request, SignInSchema, async (input) => {
    const { cookie } = await signIn(db, input, ctx);
    return redirect(input.redirectTo, { headers: { 'Set-Cookie': cookie } });
  }),
);

const labels = { email: 'Email address', password: 'Password' };

export default function Login() {
  const { redirectTo, kept, reset } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  return (
    <div className="narrow">
      <h1>Sign in</h1>
      {kept ? (
        <div className="notice" role="status">
          <p>
            You were signed out, so that page was not saved. Sign in and we will take you back to it
            with what you typed.
          </p>
        </div>
      ) : null}
      {reset ? (
        <div className="notice notice--success" role="status">
          <p>Your password has been changed. Sign in with your new password.</p>
        </div>
      ) : null}
      <ErrorSummary feedback={feedback} labels={labels} />
      <Form method="post" className="form" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextInput
          name="email"
          label={labels.email}
          type="email"
          autoComplete="email"
          feedback={feedback}
          width="half"
        />
        <TextInput
          name="password"
          label={labels.password}
          type="password"
          autoComplete="current-password"
          feedback={feedback}
          width="half"
        />
        <SubmitButton pendingText="Signing in…">Sign in</SubmitButton>
      </Form>
      <p>
        <Link to="/account/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New here? <Link to="/signup">Create an account</Link>.
      </p>
    </div>
  );
}
