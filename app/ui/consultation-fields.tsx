import { ukDateParts } from '~/lib/date-parts';
import { DateFields } from './date-fields';
import { type FormFeedback, MARKDOWN_HINT, TextArea, TextInput } from './form';

export const consultationLabels = {
  title: 'Title',
  slug: 'Web address',
  summary: 'Summary',
  runBy: 'Run by',
  body: 'Description',
  opensAt: 'Opens (UK time)',
  closesAt: 'Closes (UK time)',
};

type Defaults = {
  title?: string;
  summary?: string;
  runBy?: string;
  body?: string;
  opensAt?: Date | string | null;
  closesAt?: Date | string | null;
};

/** The fields shared by the create and edit forms of a consultation. */
export function ConsultationFields({
  feedback,
  defaults = {},
  withSlug,
}: {
  feedback: FormFeedback | undefined;
  defaults?: Defaults;
  withSlug?: boolean;
}) {
  return (
    <>
      <TextInput
        name="title"
        label={consultationLabels.title}
        feedback={feedback}
        defaultValue={defaults.title}
        maxLength={200}
      />
      {withSlug ? (
        <TextInput
          name="slug"
          label={consultationLabels.slug}
          hint="Lowercase letters, numbers and hyphens, for example open-source-ai-2026. It cannot be changed later."
          feedback={feedback}
          width="half"
          maxLength={80}
        />
      ) : null}
      <TextArea
        name="summary"
        label={consultationLabels.summary}
        hint="One or two sentences, shown in lists."
        feedback={feedback}
        defaultValue={defaults.summary}
        rows={3}
        maxLength={1000}
      />
      <TextInput
        name="runBy"
        label={consultationLabels.runBy}
        hint="The organisation running this consultation."
        feedback={feedback}
        defaultValue={defaults.runBy}
        maxLength={200}
      />
      <TextArea
        name="body"
        label={consultationLabels.body}
        hint={MARKDOWN_HINT}
        feedback={feedback}
        defaultValue={defaults.body}
        rows={14}
        maxLength={50000}
      />
      <DateFields
        name="opensAt"
        legend={consultationLabels.opensAt}
        hint="Leave empty to open as soon as you press Open."
        withTime
        feedback={feedback}
        defaultValue={ukDateParts(defaults.opensAt)}
      />
      <DateFields
        name="closesAt"
        legend={consultationLabels.closesAt}
        hint="Needed before the consultation can open. Responses are refused after this time."
        withTime
        feedback={feedback}
        defaultValue={ukDateParts(defaults.closesAt)}
      />
    </>
  );
}
