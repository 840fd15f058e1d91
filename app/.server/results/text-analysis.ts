import type { Stance } from '#db/schema';
import { extractPhrases } from './phrases';
import { contradictsStance, scoreTone } from './tone';

export type AnswerAnalysis = { tone: number | null; disagreement: boolean; phrases: string[] };

/** What the results count of an answer's reasons, worked out once when the answer is written. */
export function analyseAnswer(stance: Stance | null, reasons: string | null): AnswerAnalysis {
  const tone = scoreTone(reasons);
  return { tone, disagreement: contradictsStance(stance, tone), phrases: extractPhrases(reasons) };
}
