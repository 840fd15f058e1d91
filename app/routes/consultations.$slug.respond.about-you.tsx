import { redirect, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { handler, submitForm } from '~/.server/http';
import { getQuestionnaire, saveProfileStep } from '~/.server/responses';
import { stepAfterSaving, type QuestionStepHandle } from '~/lib/questionnaire-steps';
import { useRespondOutline } from '~/lib/respond-outline';
import { SEGMENT_LABELS } from '~/lib/schemas/accounts';
import { ProfileStepSchema, REGIONS, STAGE_LABELS } from '~/lib/schemas/responses';
import { Radios, TextInput } from '~/ui/form';
import { QuestionStepForm, stepFeedback } from '~/ui/question-step';
import { SelectField } from '~/ui/select-field';
import { FOUNDER_STAGES, INVESTOR_TYPES } from '~/lib/enums';

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

const labels = {
  segment: 'Which best describes you?',
  segmentOther: 'Describe your role',
  organisation: 'Organisation (optional)',
  organisationStage: 'Company stage or investor type (optional)',
  region: 'Where are you based? (optional)',
};

export default function AboutYou() {
  const { profile, parked, idempotencyKey } = useLoaderData<typeof loader>();
  const { consultation: c } = useRespondOutline();
  const feedback = stepFeedback(useActionData<typeof action>(), parked);
  const stageOptions = (values: readonly string[]) =>
    values.map((value) => ({ value, label: STAGE_LABELS[value]! }));
  return (
    <>
      <h1>About you</h1>
      <QuestionStepForm
        consultation={c}
        parked={parked}
        feedback={feedback}
        labels={labels}
        idempotencyKey={idempotencyKey}
        intro={
          <p>
            Your answers are grouped by these details in the results. When you submit, we record
            them as they are then, so changing them later does not change past responses.
          </p>
        }
      >
        <Radios
          name="segment"
          legend={labels.segment}
          feedback={feedback}
          defaultValue={profile.segment}
          options={[
            { value: 'founder', label: SEGMENT_LABELS.founder },
            { value: 'investor', label: SEGMENT_LABELS.investor },
            {
              value: 'other',
              label: SEGMENT_LABELS.other,
              conditional: (
                <TextInput
                  name="segmentOther"
                  label={labels.segmentOther}
                  hint="For example, researcher, civil servant or developer."
                  feedback={feedback}
                  defaultValue={profile.segment_other ?? ''}
                  width="half"
                />
              ),
            },
          ]}
        />
        <SelectField
          name="organisationStage"
          label={labels.organisationStage}
          hint="Founders: your company’s stage. Investors: the kind of investor you are."
          feedback={feedback}
          defaultValue={profile.organisation_stage ?? ''}
          groups={[
            { label: 'Founders', options: stageOptions(FOUNDER_STAGES) },
            { label: 'Investors', options: stageOptions(INVESTOR_TYPES) },
          ]}
        />
        <TextInput
          name="organisation"
          label={labels.organisation}
          feedback={feedback}
          defaultValue={profile.organisation ?? ''}
          width="half"
          autoComplete="organization"
        />
        <SelectField
          name="region"
          label={labels.region}
          feedback={feedback}
          defaultValue={profile.region ?? ''}
          options={REGIONS.map((r) => ({ value: r, label: r }))}
        />
      </QuestionStepForm>
    </>
  );
}
