// A consultation of any size for the benchmarks: seven recommendations, each response answering
// about five of them, three in five with reasons drawn from the demo's analysed sample texts,
// written by the one writer of submitted responses so the rollup triggers count them as they load.
import { sql, type Kysely } from 'kysely';
import { reasonBanks, segmentAsides } from '#db/seed-results-content';
import type { DB, Stance } from '#db/schema';
import { writeSubmittedResponses } from '~/.server/responses/submitted';
import { analyseAnswer } from '~/.server/results';

const BATCH = 20_000;

const STANCES = ['strongly_oppose', 'oppose', 'neutral', 'support', 'strongly_support'] as const;
const SEGMENTS = ['founder', 'investor', 'other'] as const;
const CONSENTS = ['named', 'anonymous', 'anonymous', 'private'] as const;

/** The sample reasons with a stance each, analysed once: the bulk load draws from them. */
export function loadTexts() {
  const texts = Object.values(reasonBanks).flatMap((bank) =>
    Object.values(bank).flatMap((sentences) =>
      sentences.flatMap((s) => [
        s,
        ...Object.values(segmentAsides).map((a) => `${a.neutral[0]} ${s}`),
      ]),
    ),
  );
  return texts.map((reasons, k) => {
    const stance = STANCES[k % STANCES.length]!;
    return { stance, reasons, analysis: analyseAnswer(stance, reasons) };
  });
}

export type Texts = ReturnType<typeof loadTexts>;

/** A small deterministic hash, so every run loads the same answers. */
function mix(a: number, b: number) {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x27d4eb2f, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

export async function loadConsultation(
  db: Kysely<DB>,
  slug: string,
  responses: number,
  texts: Texts,
) {
  const consultation = await db
    .insertInto('consultations')
    .values({
      slug,
      title: slug,
      summary: slug,
      run_by: 'Benchmark',
      status: 'open',
      closes_at: new Date(Date.now() + 86_400_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const recommendations = await db
    .insertInto('recommendations')
    .values(
      Array.from({ length: 7 }, (_, i) => ({
        consultation_id: consultation.id,
        number: i + 1,
        slug: `${slug}-${i + 1}`,
        title: `Recommendation ${i + 1}`,
        summary: 'Benchmark',
      })),
    )
    .returning('id')
    .execute();
  const analyses = new Map(texts.map((t) => [t.reasons, t.analysis]));
  // Each text's analysis is known already; answers without reasons need none.
  const analyse = (stance: Stance | null, reasons: string | null) =>
    (reasons && analyses.get(reasons)) || analyseAnswer(stance, reasons);
  const now = Date.now();
  for (let from = 1; from <= responses; from += BATCH) {
    const to = Math.min(responses, from + BATCH - 1);
    await db.transaction().execute(async (trx) => {
      const users = await sql<{ id: string; n: number }>`
        insert into users (email, password_hash)
        select ${slug} || '-' || g || '@example.test', 'x' from generate_series(${from}::int, ${to}::int) g
        returning id, split_part(split_part(email, '-', 2), '@', 1)::int as n`.execute(trx);
      await writeSubmittedResponses(
        trx,
        users.rows.map(({ id, n }) => {
          const at = new Date(now - ((n * 7919) % (56 * 24)) * 3_600_000);
          return {
            consultationId: consultation.id,
            userId: id,
            submittedAt: at,
            snapshot: {
              profile: {
                displayName: `Respondent ${n}`,
                organisation: null,
                segment: SEGMENTS[n % 3]!,
                segmentOther: null,
                organisationStage: null,
                region: null,
                verified: n % 5 === 0,
              },
              consent: CONSENTS[n % 4]!,
              overallComments: null,
              // About five answers in seven; three in five with reasons.
              answers: recommendations.flatMap((r, k) => {
                const x = mix(n, k);
                if (x % 7 >= 5) return [];
                const text = x % 5 < 3 ? texts[x % texts.length]! : null;
                return [
                  {
                    recommendationId: r.id,
                    stance: text?.stance ?? (x % 2 ? 'neutral' : 'no_view'),
                    importance: 1 + (x % 5),
                    reasons: text?.reasons ?? null,
                    changeMind: null,
                  },
                ];
              }),
            },
          };
        }),
        { analyse },
      );
    });
  }
  return consultation.id;
}
