import { redirect, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { handler, submitForm } from '~/.server/http';
import { getQuestionnaire, saveFinalStep } from '~/.server/responses';
import type { QuestionStepHandle } from '~/lib/questionnaire-steps';
import { useRespondOutline } from '~/lib/respond-outline';
import { FinalStepSchema } from '~/lib/schemas/responses';
import { CONSENT_LABELS, OVERALL_MAX } from '~/lib/forms/responses';
import { CharacterCount } from '~/ui/character-count';
import { Radios } from '~/ui/form';
import { QuestionStepForm, stepFeedback } from '~/ui/question-step';
import { CONSENTS } from '~/lib/enums';

export const meta: MetaFunction = () => [
  { title: 'Overall comments and publishing choice – Open Consultation' },
];

export const handle: QuestionStepHandle = { questionStep: 'final' };

export const loader = handler(async ({ db, viewer, params, takeParkedForm }) => ({
  ...(await getQuestionnaire(db, viewer, params.slug!)),
  parked: await takeParkedForm(),
  // A fresh key each time the page is shown: the same page saved twice counts once.
  idempotencyKey: crypto.randomUUID(),
}));

export const action = handler(
  async ({ request, db, viewer, params }) =>
    submitForm(request, FinalStepSchema, async (input) => {
      await saveFinalStep(db, viewer, params.slug!, input);
      return redirect(`/consultations/${params.slug}/respond/check`);
    }),
  // What was typed survives a session that ended: the loader shows it again after sign-in.
  { keepsSignedOutForm: true },
);

const labels = { overallComments: 'Overall comments', consent: 'Publishing your response' };

export default function FinalStep() {
  const { response, parked, idempotencyKey } = useLoaderData<typeof loader>();
  const { consultation: c } = useRespondOutline();
  const feedback = stepFeedback(useActionData<typeof action>(), parked);
  return (
    <>
      <h1>Overall comments and publishing choice</h1>
      <QuestionStepForm
        consultation={c}
        parked={parked}
        feedback={feedback}
        labels={labels}
        idempotencyKey={idempotencyKey}
      >
        <CharacterCount
          name="overallComments"
          label={`${labels.overallComments} (optional)`}
          hint="Anything about the consultation as a whole, or what it leaves out."
          max={OVERALL_MAX}
          rows={8}
          feedback={feedback}
          defaultValue={response?.overallComments}
        />
        <Radios
          name="consent"
          legend="May we publish what you wrote?"
          hint="Choose one: nothing is chosen for you. Everyone’s answers are counted in the results whatever you choose; this is only about whether the words you wrote are shown publicly, and with your name or without. You can change it until the summary is published."
          feedback={feedback}
          defaultValue={response?.consent ?? undefined}
          options={CONSENTS.map((value) => ({ value, ...CONSENT_LABELS[value] }))}
        />
      </QuestionStepForm>
    </>
  );
}
