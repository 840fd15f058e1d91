import { redirect, type MetaFunction } from '@remix-run/node';
import { signOut } from '~/.server/auth';
import { handler } from '~/.server/http';
import { Form } from '~/ui/post-form';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction = () => [{ title: 'Sign out – Open Consultation' }];

// The header's sign-out button posts here; opening the address shows the same button, so a
// link or a bookmark to it cannot sign anyone out by itself.
export const loader = handler(async ({ viewer }) => {
  if (!viewer) throw redirect('/');
  return null;
});

export const action = handler(async ({ request, db }) =>
  redirect('/', { headers: { 'Set-Cookie': await signOut(db, request) } }),
);

export default function SignOut() {
  return (
    <div className="narrow">
      <h1>Sign out</h1>
      <p>You will need your email address and password to sign in again.</p>
      <Form method="post">
        <SubmitButton>Sign out</SubmitButton>
      </Form>
    </div>
  );
}
