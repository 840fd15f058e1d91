import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { signOut } from '~/.server/auth';
import { handler, submitForm } from '~/.server/http';
import { deleteAccount, describeDeletion } from '~/.server/privacy';
import { DeleteAccountSchema } from '~/lib/schemas/privacy';
import { ErrorSummary, fieldId, TextInput } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction = () => [{ title: 'Delete your account – Open Consultation' }];

export const loader = handler(async ({ db, viewer }) => describeDeletion(db, viewer));

export const action = handler(async ({ request, db, viewer, ctx }) =>
  submitForm(request, DeleteAccountSchema, async (input) => {
    await deleteAccount(db, viewer, input, ctx);
    return redirect('/account/deleted', {
      headers: { 'Set-Cookie': await signOut(db, request) },
    });
  }),
);

const labels = { confirm: 'I understand that this cannot be undone', password: 'Your password' };

export default function DeleteAccount() {
  const plan = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const confirmErrors = feedback?.fieldErrors?.confirm;
  const confirmed = feedback?.values?.confirm === 'yes';
  return (
    <div className="narrow">
      <h1>Delete your account</h1>
      <p>
        Before you go, you can{' '}
        <a href="/account/data.json" download>
          download all your data
        </a>
        .
      </p>
      <h2>What happens</h2>
      {plan.responses.length === 0 ? (
        <p>You have no responses.</p>
      ) : (
        <ul>
          {plan.responses.map((r) => (
            <li key={r.slug}>
              <Link to={`/consultations/${r.slug}/privacy`}>{r.title}</Link>:{' '}
              {r.draft
                ? 'your draft is removed.'
                : r.outcome === 'erase'
                  ? 'your response is erased and no longer counted.'
                  : 'your response is anonymised: your choices stay in the results without your name, details or written reasons.'}
            </li>
          ))}
        </ul>
      )}
      <ul>
        <li>
          {plan.comments === 0
            ? 'You have no comments.'
            : `Your ${plan.comments === 1 ? 'comment is' : `${plan.comments} comments are`} replaced by "Comment deleted by its author"; replies to ${plan.comments === 1 ? 'it' : 'them'} stay.`}
        </li>
        <li>
          {plan.endorsements === 0
            ? 'You have no endorsements.'
            : `Your ${plan.endorsements === 1 ? 'endorsement is' : `${plan.endorsements} endorsements are`} removed and no longer counted.`}
        </li>
        <li>Your &ldquo;helpful&rdquo; votes and reports of comments are removed.</li>
        <li>
          Your details, messages and verification requests are deleted, and you are signed out
          everywhere.
        </li>
        <li>
          The audit log keeps a record that changes were made, under a random name that is not
          linked to you.
        </li>
      </ul>
      <ErrorSummary feedback={feedback} labels={labels} />
      <Form method="post" className="form" noValidate>
        <div className={`field${confirmErrors?.length ? ' field--error' : ''}`}>
          {confirmErrors?.length ? (
            <p className="field__error" id={`${fieldId('confirm')}-error`}>
              <span className="visually-hidden">Error: </span>
              {confirmErrors[0]}
            </p>
          ) : null}
          <div className="checkbox">
            <input
              type="checkbox"
              id={fieldId('confirm')}
              name="confirm"
              value="yes"
              defaultChecked={confirmed}
              aria-describedby={confirmErrors?.length ? `${fieldId('confirm')}-error` : undefined}
              aria-invalid={confirmErrors?.length ? true : undefined}
            />
            <label htmlFor={fieldId('confirm')}>{labels.confirm}</label>
          </div>
        </div>
        <TextInput
          name="password"
          label={labels.password}
          hint="To check it is you."
          type="password"
          autoComplete="current-password"
          feedback={feedback}
          width="half"
        />
        <SubmitButton variant="warning" pendingText="Deleting…">
          Delete my account
        </SubmitButton>
      </Form>
      <p>
        <Link to="/account/profile">Keep my account</Link>
      </p>
    </div>
  );
}
