import type { Kysely } from 'kysely';
import type { Consent, DB, Segment, Stance } from '#db/schema';
import {
  createConsultation,
  createRecommendation,
  createUser,
  grantRole,
  insertComment,
  insertSubmittedResponse,
} from './factories';

// A consultation whose responses are being analysed, with evidence of every kind to write its
// summary from: for the organisers' summary pages, in route tests and in the browser.

const DAY = 24 * 60 * 60 * 1000;

/** A submitted response with reasons on some answers, and the name it may be quoted under. */
export async function respondWithReasons(
  db: Kysely<DB>,
  consultationId: string,
  segment: Segment,
  answers: { recommendationId: string; stance: Stance; reasons?: string }[],
  options: { consent?: Consent; name?: string; organisation?: string; userId?: string } = {},
) {
  const response = await insertSubmittedResponse(db, consultationId, {
    segment,
    userId: options.userId,
    consent: options.consent ?? 'anonymous',
    answers: answers.map((a) => ({ recommendationId: a.recommendationId, stance: a.stance })),
  });
  if (options.name) {
    await db
      .updateTable('responses')
      .set({ display_name: options.name, organisation: options.organisation ?? null })
      .where('id', '=', response.id)
      .execute();
  }
  for (const a of answers.filter((a) => a.reasons)) {
    await db
      .updateTable('submitted_answers')
      .set({ reasons: a.reasons! })
      .where('response_id', '=', response.id)
      .where('recommendation_id', '=', a.recommendationId)
      .execute();
  }
  return response;
}

/**
 * Two recommendations answered by six founders (supporting) and six investors (opposing), so
 * every group is shown; reasons that may be quoted (named, anonymous), reasons that may not
 * (private, hidden by a moderator), a published comment and a held one. Two organisers of this
 * consultation, a moderator of it, and the named founder's account, who hears of publication.
 */
export async function createAnalysedConsultation(
  db: Kysely<DB>,
  options: { title?: string; status?: 'analysing' | 'closed' } = {},
) {
  const consultation = await createConsultation(db, {
    status: options.status ?? 'analysing',
    title: options.title ?? 'Seed funding rules',
    run_by: 'The sample policy team',
    opens_at: new Date(Date.now() - 30 * DAY),
    closes_at: new Date(Date.now() - DAY),
  });
  const first = await createRecommendation(db, consultation.id, {
    title: 'Cap the fees on small rounds',
  });
  const second = await createRecommendation(db, consultation.id, {
    title: 'Publish standard terms',
  });
  const staff = async (name: string, role: 'organiser' | 'moderator') => {
    const user = await createUser(db, {
      displayName: name,
      segment: 'other',
      segmentOther: 'Policy team',
    });
    await grantRole(db, user.id, role, consultation.id);
    return user;
  };
  const organiser = await staff('Olu Organiser', 'organiser');
  const secondOrganiser = await staff('Sam Second', 'organiser');
  const moderator = await staff('Mo Moderator', 'moderator');
  const founder = await createUser(db, { displayName: 'Ada Founder', segment: 'founder' });

  const both = (stance: Stance, reasons?: string) => [
    { recommendationId: first.id, stance, reasons },
    { recommendationId: second.id, stance: stance === 'oppose' ? 'oppose' : ('support' as Stance) },
  ];
  const named = await respondWithReasons(
    db,
    consultation.id,
    'founder',
    both('strongly_support', 'Fees eat a tenth of a small round before any work is done.'),
    { consent: 'named', name: 'Ada Founder', organisation: 'Acme Ltd', userId: founder.id },
  );
  for (let i = 0; i < 5; i++)
    await respondWithReasons(db, consultation.id, 'founder', both('support'));
  const anonymous = await respondWithReasons(
    db,
    consultation.id,
    'investor',
    both('oppose', 'A cap would push the same costs into other parts of the deal.'),
  );
  const privately = await respondWithReasons(
    db,
    consultation.id,
    'investor',
    both('oppose', 'I would rather this stayed between us.'),
    { consent: 'private' },
  );
  const hidden = await respondWithReasons(
    db,
    consultation.id,
    'investor',
    both('oppose', 'Something a moderator took down.'),
  );
  await db
    .updateTable('submitted_answers')
    .set({ quote_status: 'hidden' })
    .where('response_id', '=', hidden.id)
    .execute();
  for (let i = 0; i < 3; i++)
    await respondWithReasons(db, consultation.id, 'investor', both('oppose'));
  const comment = await insertComment(db, first.id, {
    body: 'Caps like this worked in other markets.',
  });
  const held = await insertComment(db, first.id, { body: 'See my site', status: 'held' });
  return {
    consultation,
    recommendations: [first, second] as const,
    organiser,
    secondOrganiser,
    moderator,
    founder,
    quotes: {
      named: `answer:${named.id}:${first.id}`,
      anonymous: `answer:${anonymous.id}:${first.id}`,
      private: `answer:${privately.id}:${first.id}`,
      hidden: `answer:${hidden.id}:${first.id}`,
      comment: `comment:${comment.id}`,
      held: `comment:${held.id}`,
    },
  };
}
