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
