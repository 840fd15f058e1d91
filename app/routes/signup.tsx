import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { signUp } from '~/.server/auth';
import { handler, redirectIfSignedIn, submitForm } from '~/.server/http';
import { SignUpSchema } from '~/lib/schemas/accounts';
import { PASSWORD_HINT, SEGMENT_LABELS } from '~/lib/forms/accounts';
import { ErrorSummary, Radios, TextInput } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction = () => [{ title: 'Create an account – Open Consultation' }];

export const loader = handler(async ({ request, viewer }) => redirectIfSignedIn(request, viewer));

export const action = handler(async ({ request, db, ctx }) =>
  submitForm(request, SignUpSchema, async (input) => {
    // The same answer whether or not the address already has an account (see signUp).
    await signUp(db, input, ctx);
    return redirect('/signup/check-email');
  }),
);

const labels = {
  displayName: 'Your name',
  email: 'Email address',
  password: 'Create a password',
  organisation: 'Organisation (optional)',
  segment: 'Which best describes you?',
  segmentOther: 'Describe your role',
};

export default function SignUp() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  return (
    <div className="narrow">
      <h1>Create an account</h1>
      <p className="lead">
        You need an account to respond to consultations and endorse recommendations.
      </p>
      <ErrorSummary feedback={feedback} labels={labels} />
      <Form method="post" className="form" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextInput
          name="displayName"
          label={labels.displayName}
          hint="Shown next to anything you choose to publish under your name."
          autoComplete="name"
          feedback={feedback}
          width="half"
        />
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
          hint={PASSWORD_HINT}
          type="password"
          autoComplete="new-password"
          feedback={feedback}
          width="half"
        />
        <TextInput
          name="organisation"
          label={labels.organisation}
          hint="For example, the company you founded or the fund you work for."
          autoComplete="organization"
          feedback={feedback}
          width="half"
        />
        <Radios
          name="segment"
          legend={labels.segment}
          hint="Results are broken down by these groups."
          feedback={feedback}
          options={[
            { value: 'founder', label: SEGMENT_LABELS.founder },
            {
              value: 'investor',
              label: SEGMENT_LABELS.investor,
              hint: 'Angel, venture capital or corporate venture',
            },
            {
              value: 'other',
              label: SEGMENT_LABELS.other,
              conditional: (
                <TextInput
                  name="segmentOther"
                  label={labels.segmentOther}
                  hint="For example, researcher, civil servant or developer."
                  feedback={feedback}
                  width="half"
                />
              ),
            },
          ]}
        />
        <SubmitButton pendingText="Creating your account…">Create account</SubmitButton>
      </Form>
      <p>
        Already have an account?{' '}
        <Link to={`/login?redirectTo=${encodeURIComponent(redirectTo)}`}>Sign in</Link>.
      </p>
    </div>
  );
}
