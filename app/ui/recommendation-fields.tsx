import { type FormFeedback, MARKDOWN_HINT, TextArea, TextInput } from './form';

export const recommendationLabels = {
  title: 'Title',
  slug: 'Web address',
  summary: 'Summary',
  rationale: 'Rationale',
};

/** The fields shared by the add and edit forms of a recommendation. */
export function RecommendationFields({
  feedback,
  defaults = {},
  withSlug,
}: {
  feedback: FormFeedback | undefined;
  defaults?: { title?: string; summary?: string; rationale?: string };
  withSlug?: boolean;
}) {
  return (
    <>
      <TextInput
        name="title"
        label={recommendationLabels.title}
        feedback={feedback}
        defaultValue={defaults.title}
        maxLength={200}
      />
      {withSlug ? (
        <TextInput
          name="slug"
          label={`${recommendationLabels.slug} (optional)`}
          hint="Made from the title if you leave it empty. It cannot be changed later."
          feedback={feedback}
          width="half"
          maxLength={80}
        />
      ) : null}
      <TextArea
        name="summary"
        label={recommendationLabels.summary}
        hint="One or two sentences, shown in the list of recommendations."
        feedback={feedback}
        defaultValue={defaults.summary}
        rows={3}
        maxLength={1000}
      />
      <TextArea
        name="rationale"
        label={recommendationLabels.rationale}
        hint={MARKDOWN_HINT}
        feedback={feedback}
        defaultValue={defaults.rationale}
        rows={16}
        maxLength={50000}
      />
    </>
  );
}
