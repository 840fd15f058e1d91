import type { Stance } from '#db/schema';
import { its, nlp } from './nlp';

/** Between these bounds a text reads as neutral; the 1300 migration buckets tones the same way. */
export const NEGATIVE_TONE = -0.1;
export const POSITIVE_TONE = 0.1;
/** How far a tone must lean to count as contradicting a stance: clearly, not faintly. */
export const CLEAR_TONE = 0.3;

/**
 * The tone of a text from −1 (negative) to 1 (positive), to three decimals; null when there is no
 * text to read.
 */
export function scoreTone(text: string | null | undefined): number | null {
  if (!text || !text.trim()) return null;
  const score = nlp.readDoc(text).out(its.sentiment) as unknown as number;
  const clamped = Math.max(-1, Math.min(1, Number.isFinite(score) ? score : 0));
  return Math.round(clamped * 1000) / 1000;
}

export function toneBucket(tone: number): 'negative' | 'neutral' | 'positive' {
  if (tone <= NEGATIVE_TONE) return 'negative';
  if (tone >= POSITIVE_TONE) return 'positive';
  return 'neutral';
}

/**
 * Whether the reasons read clearly against the stated stance: support written in a clearly
 * negative tone, or opposition in a clearly positive one. For analysts to read, since a
 * supporter may well describe the present problem in negative words.
 */
export function contradictsStance(stance: Stance | null, tone: number | null): boolean {
  if (stance === null || tone === null) return false;
  if (stance === 'support' || stance === 'strongly_support') return tone <= -CLEAR_TONE;
  if (stance === 'oppose' || stance === 'strongly_oppose') return tone >= CLEAR_TONE;
  return false;
}
