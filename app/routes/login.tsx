import { redirect, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { signIn } from '~/.server/auth';
import { DomainError } from '~/.server/errors';
import { domainFailure, formFailure, handler, parseForm } from '~/.server/http';
import { safeRedirect, SignInSchema } from '~/lib/schemas/accounts';
import { ErrorSummary, TextInput } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction = () => [{ title: 'Sign in – Open Consultation' }];

export const loader = handler(async ({ request, viewer }) => {
  const redirectTo = safeRedirect.parse(
    new URL(request.url).searchParams.get('redirectTo') ?? undefined,
  );
  if (viewer) throw redirect(redirectTo);
  return { redirectTo };
});

export const action = handler(async ({ request, db, ctx }) => {
  const form = await parseForm(request, SignInSchema);
  if (!form.ok) return formFailure(form);
  try {
    const { cookie } = await signIn(db, form.data, ctx);
    return redirect(form.data.redirectTo, { headers: { 'Set-Cookie': cookie } });
  } catch (error) {
    if (error instanceof DomainError) return domainFailure(error, form.values);
    throw error;
  }
});

const labels = { email: 'Email address', password: 'Password' };

export default function Login() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  return (
    <div className="narrow">
      <h1>Sign in</h1>
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
        New here? <Link to="/signup">Create an account</Link>.
      </p>
    </div>
  );
}
