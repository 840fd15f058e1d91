import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { handler, submitForm } from '~/.server/http';
import { getProfile, updateProfile } from '~/.server/profiles';
import { ProfileSchema } from '~/lib/schemas/responses';
import { ErrorSummary } from '~/ui/form';
import { PROFILE_LABELS, ProfileFields } from '~/ui/profile-fields';
import { SubmitButton } from '~/ui/submit-button';
import { requireSignedIn } from '~/.server/auth';

export const meta: MetaFunction = () => [{ title: 'Your details – Open Consultation' }];

export const loader = handler(async ({ db, viewer }) => ({
  profile: await getProfile(db, requireSignedIn(viewer)),
}));

export const action = handler(async ({ request, db, viewer }) =>
  submitForm(request, ProfileSchema, async (input) => {
    await updateProfile(db, requireSignedIn(viewer), input);
    return redirect('/account/profile?saved=1');
  }),
);

export default function Profile() {
  const { profile } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="narrow">
      <h1>Your details</h1>
      {params.get('saved') && !feedback ? (
        <div className="notice notice--success" role="status">
          <p>
            Your details have been saved. Responses you already submitted keep the details they were
            sent with.
          </p>
        </div>
      ) : null}
      <p>Name: {profile.display_name}</p>
      <p>
        {profile.verified ? (
          <>
            <span className="badge">Verified</span> Your organisation is verified. Changing it below
            removes the badge until the organisers verify the new one.{' '}
          </>
        ) : null}
        <Link to="/account/verification">
          {profile.verified ? 'Your verification' : 'Ask to have your organisation verified'}
        </Link>
      </p>
      <ErrorSummary feedback={feedback} labels={PROFILE_LABELS} />
      <Form method="post" className="form" noValidate>
        <ProfileFields feedback={feedback} profile={profile} />
        <SubmitButton pendingText="Saving…">Save details</SubmitButton>
      </Form>
      <h2>Sign-in and email</h2>
      <ul>
        <li>
          <Link to="/account/email">Change your email address</Link>
        </li>
        <li>
          <Link to="/account/password">Change your password</Link>
        </li>
        <li>
          <Link to="/account/email-preferences">Choose which emails you get</Link>
        </li>
      </ul>
      <h2>Your data</h2>
      <ul>
        <li>
          <a href="/account/data.json" download>
            Download all your data
          </a>{' '}
          (a JSON file with your account, responses and receipts, comments, endorsements, votes and
          messages)
        </li>
        <li>
          <Link to="/account/delete">Delete your account</Link>
        </li>
        <li>
          <Link to="/privacy">How we use your data</Link>
        </li>
      </ul>
    </div>
  );
}
