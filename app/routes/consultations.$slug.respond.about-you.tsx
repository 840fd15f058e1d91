import { redirect, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { handler, submitForm } from '~/.server/http';
import { getQuestionnaire, saveProfileStep } from '~/.server/responses';
import { stepAfterSaving, type QuestionStepHandle } from '~/lib/questionnaire-steps';
import { useRespondOutline } from '~/lib/respond-outline';
import { ProfileStepSchema } from '~/lib/schemas/responses';
import { PROFILE_LABELS, ProfileFields } from '~/ui/profile-fields';
import { QuestionStepForm, stepFeedback } from '~/ui/question-step';

export const meta: MetaFunction = () => [{ title: 'About you – Open Consultation' }];

export const handle: QuestionStepHandle = { questionStep: 'about-you' };

export const loader = handler(async ({ db, viewer, params, takeParkedForm }) => ({
  ...(await getQuestionnaire(db, viewer, params.slug!)),
  parked: await takeParkedForm(),
  // A fresh key each time the page is shown: the same page saved twice counts once.
  idempotencyKey: crypto.randomUUID(),
}));

export const action = handler(
  async ({ request, db, viewer, params }) =>
    submitForm(request, ProfileStepSchema, async (input) => {
      const { next } = await saveProfileStep(db, viewer, params.slug!, input);
      return redirect(stepAfterSaving(params.slug!, request.url, next));
    }),
  // What was typed survives a session that ended: the loader shows it again after sign-in.
  { keepsSignedOutForm: true },
);

export default function AboutYou() {
  const { profile, parked, idempotencyKey } = useLoaderData<typeof loader>();
  const { consultation: c } = useRespondOutline();
  const feedback = stepFeedback(useActionData<typeof action>(), parked);
  return (
    <>
      <h1>About you</h1>
      <QuestionStepForm
        consultation={c}
        parked={parked}
        feedback={feedback}
        labels={PROFILE_LABELS}
        idempotencyKey={idempotencyKey}
        intro={
          <p>
            Your answers are grouped by these details in the results. When you submit, we record
            them as they are then, so changing them later does not change past responses.
          </p>
        }
      >
        <ProfileFields feedback={feedback} profile={profile} />
      </QuestionStepForm>
    </>
  );
}
