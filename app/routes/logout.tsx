import { redirect } from '@remix-run/node';
import { signOut } from '~/.server/auth';
import { handler } from '~/.server/http';

export const loader = () => redirect('/');

export const action = handler(async ({ request, db }) =>
  redirect('/', { headers: { 'Set-Cookie': await signOut(db, request) } }),
);
