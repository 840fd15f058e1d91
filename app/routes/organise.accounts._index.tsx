import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { handler, submitForm } from '~/.server/http';
import { findAccountByEmail, listSuspendedAccounts } from '~/.server/suspensions';
import { formatUkDateTime } from '~/lib/dates';
import { FindAccountSchema } from '~/lib/schemas/trust';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ErrorSummary, TextInput } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';
import { ScrollRegion } from '~/ui/scroll-region';

export const meta: MetaFunction = () => [{ title: 'Accounts – Open Consultation' }];

export const loader = handler(async ({ db, viewer }) => ({
  suspended: await listSuspendedAccounts(db, viewer),
}));

export const action = handler(async ({ request, db, viewer }) =>
  submitForm(request, FindAccountSchema, async (input) => {
    const userId = await findAccountByEmail(db, viewer, input.email);
    return redirect(`/organise/accounts/${userId}`);
  }),
);

export default function Accounts() {
  const { suspended } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  return (
    <>
      <Breadcrumbs items={[{ to: '/organise', label: 'Organise' }]} />
      <h1>Accounts</h1>
      <p className="lead">
        Find an account to suspend it, lift a suspension, or remove its verified badge.
      </p>
      <ErrorSummary feedback={feedback} labels={{ email: 'Email address' }} />
      <Form method="post" className="form narrow" noValidate>
        <TextInput
          name="email"
          type="email"
          label="Email address of the account"
          autoComplete="off"
          feedback={feedback}
        />
        <SubmitButton pendingText="Finding…">Find account</SubmitButton>
      </Form>
      <h2>Suspended now</h2>
      {suspended.length ? (
        <ScrollRegion label="Accounts suspended now (table)">
          <table className="table">
            <caption className="visually-hidden">Accounts suspended now</caption>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Until</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {suspended.map((s) => (
                <tr key={s.userId}>
                  <td>
                    <Link to={`/organise/accounts/${s.userId}`}>{s.displayName}</Link>
                    <br />
                    <span className="muted">{s.email}</span>
                  </td>
                  <td>{s.endsAt ? formatUkDateTime(s.endsAt) : 'Until lifted'}</td>
                  <td>{s.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      ) : (
        <p>No account is suspended.</p>
      )}
    </>
  );
}
