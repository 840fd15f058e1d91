/**
 * The questionnaire's pages in order: about you, one page per recommendation, overall comments,
 * then checking. Each page knows its number and its neighbours from this list alone.
 */
export function questionnaireSteps(slug: string, recommendationSlugs: string[]) {
  const base = `/consultations/${slug}/respond`;
  return [
    `${base}/about-you`,
    ...recommendationSlugs.map((r) => `${base}/recommendations/${r}`),
    `${base}/final`,
    `${base}/check`,
  ];
}

export function stepPosition(steps: string[], current: string) {
  const index = steps.indexOf(current);
  return {
    step: index + 1,
    // Checking answers is not a question; progress counts the pages that ask something.
    total: steps.length - 1,
    previous: index > 0 ? steps[index - 1]! : steps[0]!.replace(/\/about-you$/, ''),
    next: steps[index + 1] ?? steps[steps.length - 1]!,
  };
}

/** "Change" on Check your answers opens a step with this mark, so saving it returns there. */
const RETURN_TO_CHECK = 'return=check';

export function changeFromCheck(step: string) {
  return `${step}?${RETURN_TO_CHECK}`;
}

export function isChangeFromCheck(url: string) {
  return new URL(url, 'http://x').searchParams.get('return') === 'check';
}

/** Where a step goes after saving (or its Back link): Check your answers if it came from there. */
export function stepAfterSaving(slug: string, url: string, next: string) {
  return isChangeFromCheck(url) ? `/consultations/${slug}/respond/check` : next;
}

export type QuestionStep = 'about-you' | 'recommendation' | 'final';

/**
 * The `handle` of a question step's route: the respond layout draws the Back link and the
 * progress of the step it names.
 */
export type QuestionStepHandle = { questionStep: QuestionStep };

export function questionStepOf(handle: unknown): QuestionStep | null {
  if (typeof handle !== 'object' || handle === null || !('questionStep' in handle)) return null;
  const step = handle.questionStep;
  return step === 'about-you' || step === 'recommendation' || step === 'final' ? step : null;
}

/** The address of a question step, as `questionnaireSteps` lists it. */
export function questionStepPath(slug: string, step: QuestionStep, recommendationSlug?: string) {
  const base = `/consultations/${slug}/respond`;
  return step === 'recommendation'
    ? `${base}/recommendations/${recommendationSlug}`
    : `${base}/${step}`;
}
