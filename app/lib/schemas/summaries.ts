import { z } from 'zod';
import { OUTCOME_STATUSES } from '../enums';
import { GROUPS, type Group } from '../results/view';
import { idempotencyKeyField, ukDateField, withDateParts } from './fields';
import {
  MAX_CITATIONS,
  MAX_QUOTES,
  SUMMARY_INTRO_MAX,
  SUMMARY_TEXT_MAX,
  EVIDENCE_FIELD,
  typedEvidence,
  SUMMARY_LICENCE_IDS,
  type SummaryLicence,
} from '../forms/summaries';
export * from '../forms/summaries';

// What organisers send to draft, publish and correct a consultation's summary, and to record
// what became of a recommendation afterwards; shared by the forms and the services.

// Evidence is named by a reference string, so a form can carry it in a hidden field:
//   a figure of the current results: `<measure>:<recommendation number>:<group>`, for example
//     `net_support:3:investor`, or the consultation's respondents: `respondents:<group>`;
//   a quote: `answer:<response id>:<recommendation id>` (the reasons of one answer) or
//     `comment:<comment id>`.
// The server resolves every reference again on each save and on publishing; a reference is
// never trusted because a form sent it.

export const FIGURE_MEASURES = [
  'responses',
  'net_support',
  'support',
  'oppose',
  'importance',
  'endorsements',
] as const;
export type FigureMeasure = (typeof FIGURE_MEASURES)[number];

export type EvidenceRef =
  | { kind: 'figure'; measure: FigureMeasure; recommendationNumber: number; group: Group }
  | { kind: 'respondents'; group: Group }
  | { kind: 'answer'; responseId: string; recommendationId: string }
  | { kind: 'comment'; commentId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function isGroup(value: string): value is Group {
  return (GROUPS as readonly string[]).includes(value);
}

/** A reference string read into its parts, or null when it is not one. */
export function parseEvidenceRef(ref: string): EvidenceRef | null {
  const parts = ref.split(':');
  const [head, a, b] = parts;
  if (head === 'respondents' && parts.length === 2 && isGroup(a!)) {
    return { kind: 'respondents', group: a };
  }
  if (head === 'answer' && parts.length === 3 && UUID.test(a!) && UUID.test(b!)) {
    return { kind: 'answer', responseId: a!, recommendationId: b! };
  }
  if (head === 'comment' && parts.length === 2 && UUID.test(a!)) {
    return { kind: 'comment', commentId: a! };
  }
  const measure = FIGURE_MEASURES.find((m) => m === head);
  if (measure && parts.length === 3 && /^[1-9]\d{0,3}$/.test(a!) && isGroup(b!)) {
    return { kind: 'figure', measure, recommendationNumber: Number(a), group: b };
  }
  return null;
}

export function isQuoteRef(ref: EvidenceRef) {
  return ref.kind === 'answer' || ref.kind === 'comment';
}

const ref = z
  .string()
  .trim()
  .refine((value) => parseEvidenceRef(value) !== null, { error: 'This is not a known citation' });

const text = (max: number) =>
  z
    .string()
    .max(max, { error: `Keep this under ${max.toLocaleString('en-GB')} characters` })
    .transform((value) => value.replace(/\r\n?/g, '\n').trim());

export const SummaryRecommendationDraftSchema = z.strictObject({
  recommendationId: z.uuid({ error: 'Reload the page and try again' }),
  youSaid: text(SUMMARY_TEXT_MAX),
  weDid: text(SUMMARY_TEXT_MAX),
  outcomeStatus: z.enum(OUTCOME_STATUSES, { error: 'Choose an outcome' }).nullable(),
  outcomeReasons: text(SUMMARY_TEXT_MAX),
  quotes: z.array(ref).max(MAX_QUOTES, { error: `Choose at most ${MAX_QUOTES} quotes` }),
  citations: z
    .array(ref)
    .max(MAX_CITATIONS, { error: `Cite at most ${MAX_CITATIONS} pieces of evidence` }),
});
export type SummaryRecommendationDraft = z.infer<typeof SummaryRecommendationDraftSchema>;

/** The name a service gives a part of a recommendation's summary in its field errors. */
export function summaryField(number: number, part: keyof SummaryRecommendationDraft) {
  return `recommendations.${number}.${part}`;
}

/**
 * A save of the draft. `expectedVersion` is the version the organiser loaded (0 before the first
 * save); an introduction or recommendations left out keep what they had.
 */
export const SaveSummaryDraftSchema = z.strictObject({
  expectedVersion: z.coerce.number().int().min(0),
  intro: text(SUMMARY_INTRO_MAX).optional(),
  recommendations: z.array(SummaryRecommendationDraftSchema).max(500),
});
export type SaveSummaryDraftInput = z.infer<typeof SaveSummaryDraftSchema>;

export const PublishSummarySchema = z.strictObject({
  expectedVersion: z.coerce.number().int().min(1, { error: 'Save the draft before publishing' }),
  licence: z.string().trim().min(1).max(200).nullable().default(null),
});
export type PublishSummaryInput = z.infer<typeof PublishSummarySchema>;

export const CorrectSummarySchema = PublishSummarySchema.extend({
  changeNote: z
    .string()
    .trim()
    .min(1, { error: 'Say what this correction changes' })
    .max(2000, { error: 'Keep the change note under 2,000 characters' }),
});
export type CorrectSummaryInput = z.infer<typeof CorrectSummarySchema>;

export const OutcomeUpdateSchema = z.strictObject({
  /** The showing of the form it came from: the same form sent twice records one update. */
  idempotencyKey: idempotencyKeyField,
  happenedOn: z.iso.date({ error: 'Enter the date it happened' }),
  status: z.enum(OUTCOME_STATUSES, { error: 'Choose an outcome' }),
  note: z
    .string()
    .trim()
    .min(1, { error: 'Say what happened' })
    .max(5000, { error: 'Keep this under 5,000 characters' }),
});
export type OutcomeUpdateInput = z.infer<typeof OutcomeUpdateSchema>;

// The organisers' forms. A form cannot repeat a field (app/.server/http.ts refuses that), so
// each piece of evidence is a checkbox of its own, `quote:<ref>` or `cite:<ref>`, whose value
// is where it goes in the list: pieces already chosen send their place, so their numbers [1],
// [2]… stay put, and new ones send a later one, so they come after, in the order on the page.

function gatherEvidence(input: unknown) {
  if (!input || typeof input !== 'object' || (input as { intent?: unknown }).intent !== 'save') {
    return input;
  }
  const rest = Object.fromEntries(
    Object.entries(input).filter(([key]) => !EVIDENCE_FIELD.test(key)),
  );
  return { ...rest, ...typedEvidence(input as Record<string, unknown>) };
}

const expectedVersion = z.coerce
  .number({ error: 'Reload the page and try again' })
  .int({ error: 'Reload the page and try again' })
  .min(0, { error: 'Reload the page and try again' });

/** The introduction form on the summary's page. */
export const SummaryIntroFormSchema = z.strictObject({
  intent: z.literal('intro'),
  expectedVersion,
  intro: text(SUMMARY_INTRO_MAX),
});

const PartFormSchema = z.strictObject({
  intent: z.literal('save'),
  expectedVersion,
  ...SummaryRecommendationDraftSchema.omit({ outcomeStatus: true }).shape,
  outcomeStatus: z
    .enum(OUTCOME_STATUSES, { error: 'Choose an outcome from the list' })
    .optional()
    .transform((value) => value ?? null),
});

const OutcomeUpdateFormSchema = z.strictObject({
  intent: z.literal('outcome'),
  idempotencyKey: idempotencyKeyField,
  happenedOn: ukDateField('date it happened').pipe(
    z.string({ error: 'Enter the date it happened' }),
  ),
  status: OutcomeUpdateSchema.shape.status,
  note: OutcomeUpdateSchema.shape.note,
});

/** The forms on one recommendation's page of the summary: its part of the draft, or an update. */
export const SummaryRecommendationFormSchema = z.preprocess(
  gatherEvidence,
  withDateParts(
    { happenedOn: false },
    z.discriminatedUnion('intent', [PartFormSchema, OutcomeUpdateFormSchema]),
  ),
);

/** The publish and correct confirmation forms. */
export const PublishSummaryFormSchema = z.discriminatedUnion('intent', [
  z.strictObject({
    intent: z.literal('publish'),
    expectedVersion: PublishSummarySchema.shape.expectedVersion,
    licence: z.enum(SUMMARY_LICENCE_IDS as [SummaryLicence, ...SummaryLicence[]], {
      error: 'Choose the licence to publish under',
    }),
  }),
  z.strictObject({
    intent: z.literal('correct'),
    expectedVersion: PublishSummarySchema.shape.expectedVersion,
    changeNote: CorrectSummarySchema.shape.changeNote,
  }),
]);
