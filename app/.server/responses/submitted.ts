import { randomInt, randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '#db/schema';
import type { QuoteStatus } from '~/lib/enums';
import { analyseAnswer, type AnswerAnalysis } from '../results/text-analysis';
import * as q from './queries';
import type { Snapshot, SnapshotAnswer } from './snapshot';

type Db = Kysely<DB> | Transaction<DB>;

// The one writer of a submitted response: the response row with who the respondent was, the
// version with its snapshot, and the counted answers with the analysis of their reasons, all
// from one snapshot so they cannot disagree. The submit uses it, and so do the demo seed, the
// benchmarks and the test fixtures.

// Crockford's base32 without I, L, O, U: easy to read aloud and to type back.
const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A receipt reference such as `7K2M-QX4D`; `pick` chooses an index below its bound. */
export function newReference(pick: (bound: number) => number = randomInt) {
  const part = () =>
    Array.from({ length: 4 }, () => REFERENCE_ALPHABET[pick(REFERENCE_ALPHABET.length)]).join('');
  return `${part()}-${part()}`;
}

export type SubmittedResponseInput = {
  consultationId: string;
  userId: string;
  snapshot: Snapshot;
  /**
   * The response being submitted, its working copy already saved. Without one, a new response
   * is written as version 1, its working copy equal to the snapshot.
   */
  existing?: { id: string; reference: string | null; currentVersion: number };
  /** A new response's reference if free; otherwise, and by default, an unused one is drawn. */
  reference?: string;
  /** The submit form's key, which makes a replay find this version. */
  idempotencyKey?: string;
  /** When it was submitted; the database's clock when omitted. */
  submittedAt?: Date;
  /** Moderation decisions already made, by recommendation id (fixtures and the demo data). */
  quoteStatuses?: Readonly<Record<string, QuoteStatus>>;
};

export type WrittenResponse = { responseId: string; reference: string; version: number };

type Analyse = (stance: SnapshotAnswer['stance'], reasons: string | null) => AnswerAnalysis;

/** Writes one submitted response (a first submission or a new version) consistently. */
export async function writeSubmittedResponse(
  db: Db,
  input: SubmittedResponseInput,
): Promise<WrittenResponse> {
  if (!input.existing) return (await writeSubmittedResponses(db, [input]))[0]!;
  const { existing, snapshot } = input;
  const reference = existing.reference ?? (await unusedReferences(db, [undefined]))[0]!;
  const version = existing.currentVersion + 1;
  await q.insertVersions(db, [
    {
      response_id: existing.id,
      number: version,
      idempotency_key: input.idempotencyKey ?? randomUUID(),
      snapshot: JSON.stringify(snapshot),
      submitted_at: input.submittedAt,
    },
  ]);
  await q.markSubmitted(db, existing.id, {
    reference,
    version,
    overallComments: snapshot.overallComments,
    profile: responseProfile(snapshot),
    submittedAt: input.submittedAt,
  });
  // After the response row, whose group, verification and first day the answers copy.
  await q.deleteSubmittedAnswers(db, existing.id);
  await q.insertSubmittedAnswers(db, countedAnswers(input, existing.id, analyseAnswer));
  return { responseId: existing.id, reference, version };
}

const CHUNK = 1000;

/**
 * Writes many new submitted responses (version 1) in chunks of a thousand rows: what the
 * demo seed and the benchmarks load. `analyse` may cache, since sample reasons repeat.
 */
export async function writeSubmittedResponses(
  db: Db,
  inputs: Omit<SubmittedResponseInput, 'existing'>[],
  options: { analyse?: Analyse } = {},
): Promise<WrittenResponse[]> {
  const analyse = options.analyse ?? analyseAnswer;
  const written: WrittenResponse[] = [];
  for (let i = 0; i < inputs.length; i += CHUNK) {
    const chunk = inputs.slice(i, i + CHUNK);
    const references = await unusedReferences(
      db,
      chunk.map((input) => input.reference),
    );
    const ids = await q.insertResponses(
      db,
      chunk.map((input, k) => {
        const at = input.submittedAt ?? sql<Date>`now()`;
        return {
          consultation_id: input.consultationId,
          user_id: input.userId,
          status: 'submitted',
          reference: references[k]!,
          current_version: 1,
          overall_comments: input.snapshot.overallComments,
          submitted_overall_comments: input.snapshot.overallComments,
          consent: input.snapshot.consent,
          ...responseProfile(input.snapshot),
          first_submitted_at: at,
          last_submitted_at: at,
          created_at: at,
          updated_at: at,
        };
      }),
    );
    const rows = chunk.map((input, k) => ({ input, responseId: ids.get(references[k]!)! }));
    await q.insertWorkingAnswers(
      db,
      rows.flatMap(({ input, responseId }) =>
        input.snapshot.answers.map((a) => ({
          response_id: responseId,
          recommendation_id: a.recommendationId,
          stance: a.stance,
          importance: a.importance,
          reasons: a.reasons,
          change_mind: a.changeMind,
          updated_at: input.submittedAt,
        })),
      ),
    );
    await q.insertSubmittedAnswers(
      db,
      rows.flatMap(({ input, responseId }) => countedAnswers(input, responseId, analyse)),
    );
    await q.insertVersions(
      db,
      rows.map(({ input, responseId }) => ({
        response_id: responseId,
        number: 1,
        idempotency_key: input.idempotencyKey ?? randomUUID(),
        snapshot: JSON.stringify(input.snapshot),
        submitted_at: input.submittedAt,
      })),
    );
    written.push(
      ...rows.map(({ responseId }, k) => ({ responseId, reference: references[k]!, version: 1 })),
    );
  }
  return written;
}

/** Who the respondent was, as the response row keeps it for the results. */
function responseProfile({ profile }: Snapshot) {
  return {
    segment: profile.segment,
    segment_other: profile.segmentOther,
    display_name: profile.displayName,
    organisation: profile.organisation,
    organisation_stage: profile.organisationStage,
    region: profile.region,
    verified: profile.verified,
  };
}

/** The counted answers, each with the analysis of its reasons that the results count. */
function countedAnswers(
  input: Omit<SubmittedResponseInput, 'existing'>,
  responseId: string,
  analyse: Analyse,
) {
  return input.snapshot.answers.map((a) => {
    const analysis = analyse(a.stance, a.reasons);
    return {
      response_id: responseId,
      recommendation_id: a.recommendationId,
      consultation_id: input.consultationId,
      stance: a.stance,
      importance: a.importance,
      reasons: a.reasons,
      change_mind: a.changeMind,
      quote_status: input.quoteStatuses?.[a.recommendationId],
      tone: analysis.tone,
      disagreement: analysis.disagreement,
      phrases: analysis.phrases,
    };
  });
}

/**
 * References no other response holds and no two of these share: each wanted one if free, else
 * a new draw. Checked before writing, so a collision costs a draw rather than the transaction;
 * two writers racing for one reference are still stopped by responses_reference_key.
 */
async function unusedReferences(db: Db, wanted: (string | undefined)[]) {
  const chosen = wanted.map((r) => r ?? newReference());
  for (;;) {
    const taken = await q.findTakenReferences(db, chosen);
    const seen = new Set<string>();
    let redrawn = false;
    for (let k = 0; k < chosen.length; k++) {
      if (taken.has(chosen[k]!) || seen.has(chosen[k]!)) {
        chosen[k] = newReference();
        redrawn = true;
      }
      seen.add(chosen[k]!);
    }
    if (!redrawn) return chosen;
  }
}
