import { SEGMENT_LABELS } from '~/lib/forms/accounts';
import { REGIONS, STAGE_LABELS } from '~/lib/forms/responses';
import { FOUNDER_STAGES, INVESTOR_TYPES } from '~/lib/enums';
import { type FormFeedback, Radios, TextInput } from './form';
import { SelectField } from './select-field';

/** The labels of a person's details, for the fields and for the error summary above them. */
export const PROFILE_LABELS = {
  segment: 'Which best describes you?',
  segmentOther: 'Describe your role',
  organisation: 'Organisation (optional)',
  organisationStage: 'Company stage or investor type (optional)',
  region: 'Where are you based? (optional)',
};

type ProfileDefaults = {
  segment: string | null;
  segment_other: string | null;
  organisation_stage: string | null;
  organisation: string | null;
  region: string | null;
};

const stageOptions = (values: readonly string[]) =>
  values.map((value) => ({ value, label: STAGE_LABELS[value]! }));

/**
 * A person's group, stage, organisation and region: the same fields on "Your details" and on
 * the questionnaire's "About you" step, which saves to the same profile.
 */
export function ProfileFields({
  feedback,
  profile,
}: {
  feedback: FormFeedback | undefined;
  profile: ProfileDefaults;
}) {
  return (
    <>
      <Radios
        name="segment"
        legend={PROFILE_LABELS.segment}
        feedback={feedback}
        defaultValue={profile.segment ?? undefined}
        options={[
          { value: 'founder', label: SEGMENT_LABELS.founder },
          { value: 'investor', label: SEGMENT_LABELS.investor },
          {
            value: 'other',
            label: SEGMENT_LABELS.other,
            conditional: (
              <TextInput
                name="segmentOther"
                label={PROFILE_LABELS.segmentOther}
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
        label={PROFILE_LABELS.organisationStage}
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
        label={PROFILE_LABELS.organisation}
        feedback={feedback}
        defaultValue={profile.organisation ?? ''}
        width="half"
        autoComplete="organization"
      />
      <SelectField
        name="region"
        label={PROFILE_LABELS.region}
        feedback={feedback}
        defaultValue={profile.region ?? ''}
        options={REGIONS.map((r) => ({ value: r, label: r }))}
      />
    </>
  );
}
