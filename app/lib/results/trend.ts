import { isSmall } from './suppression';
import {
  addStanceCounts,
  emptyStanceCounts,
  netSupport,
  type Estimate,
  type StanceCounts,
} from './statistics';

// Net support over time, as it stood at the end of each day (cumulative), which is what a reader
// means by "how has support moved": a daily net of a handful of answers is mostly noise.

export type DailyInput = { day: string; answers: number; stance: StanceCounts };

export type TrendPoint = {
  /** The last day this point covers (YYYY-MM-DD). */
  day: string;
  /** Answers in the days since the previous point. */
  added: number;
  /** Answers outside this view (unverified ones) in the same days. */
  complementAdded: number;
  /** Answers up to and including `day`. */
  answers: number;
  /** Their stances, from which `net` is worked out (the open data publishes both). */
  stance: StanceCounts;
  net: Estimate | null;
};

/**
 * The cumulative series. With `protectSmallSteps`, as public pages need, consecutive days are
 * merged until each step adds no small number of answers (1–4), nor of the unverified remainder
 * when `complement` (the unfiltered series) is given; otherwise two neighbouring points would
 * give away how the few people of one day answered. A small final step is folded into the one
 * before it, because the total shown elsewhere on the page would give it away just the same.
 */
export function cumulativeTrend(
  daily: readonly DailyInput[],
  options: { protectSmallSteps?: boolean; complement?: readonly DailyInput[] } = {},
): TrendPoint[] {
  const days = [...daily].sort((a, b) => a.day.localeCompare(b.day));
  const unfiltered = new Map((options.complement ?? []).map((d) => [d.day, d.answers]));
  const allDays = [...new Set([...days.map((d) => d.day), ...unfiltered.keys()])].sort();
  const byDay = new Map(days.map((d) => [d.day, d]));

  const points: TrendPoint[] = [];
  let stance = emptyStanceCounts();
  let answers = 0;
  let stepAnswers = 0;
  let stepComplement = 0;
  for (const day of allDays) {
    const entry = byDay.get(day);
    const dayAnswers = entry?.answers ?? 0;
    if (entry) stance = addStanceCounts(stance, entry.stance);
    answers += dayAnswers;
    stepAnswers += dayAnswers;
    if (options.complement) stepComplement += (unfiltered.get(day) ?? 0) - dayAnswers;
    const closes =
      !options.protectSmallSteps || (!isSmall(stepAnswers) && !isSmall(stepComplement));
    if (closes && stepAnswers + stepComplement > 0) {
      points.push({
        day,
        added: stepAnswers,
        complementAdded: stepComplement,
        answers,
        stance,
        net: netSupport(stance),
      });
      stepAnswers = 0;
      stepComplement = 0;
    }
  }
  if (options.protectSmallSteps && stepAnswers + stepComplement > 0) {
    // Fold the unfinished step into earlier ones until the merged step is safe to show.
    let added = stepAnswers;
    let complement = stepComplement;
    while (points.length > 0 && (isSmall(added) || isSmall(complement))) {
      const last = points.pop()!;
      added += last.added;
      complement += last.complementAdded;
    }
    points.push({
      day: allDays[allDays.length - 1]!,
      added,
      complementAdded: complement,
      answers,
      stance,
      net: netSupport(stance),
    });
  }
  return points;
}
