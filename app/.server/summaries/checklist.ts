import type { Kysely } from 'kysely';
import type { DB } from '#db/schema';
import { phaseOf, type Phase } from '~/lib/phase';
import { type Viewer } from '../auth';
import { requireOrganisedConsultation } from '../auth/permissions';
import { getOverview } from '../moderation';
import { missingParts } from './drafting';
import * as q from './queries';

export type ChecklistStep = {
  id: 'close' | 'moderate' | 'analyse' | 'write' | 'publish';
  label: string;
  done: boolean;
  /** What is still missing, or what was done. */
  detail: string;
  link: { href: string; text: string } | null;
};

const LATER: Phase[] = ['closed', 'analysing', 'published'];

/**
 * Organisers of this consultation: the steps from closing to a published summary, each with
 * whether it is done, what is still missing and where to do it.
 */
export async function getLifecycleChecklist(db: Kysely<DB>, viewer: Viewer | null, slug: string) {
  const { id } = await requireOrganisedConsultation(db, viewer, slug);
  const consultation = (await q.findConsultation(db, slug))!;
  const phase = phaseOf(consultation);
  const [moderation, recommendations, summary, latest] = await Promise.all([
    getOverview(db, viewer, slug),
    q.listRecommendations(db, id),
    q.findSummary(db, id),
    q.latestVersion(db, id),
  ]);
  const parts = new Map(
    (summary ? await q.listParts(db, summary.id) : []).map((p) => [p.recommendation_id, p]),
  );
  const missingFields = Object.keys(missingParts(summary, recommendations, parts));
  const missing = missingFields.length;
  // "the introduction; recommendation 1 (3 parts); …": where to go, not every message.
  const where = [
    ...(missingFields.includes('intro') ? ['the introduction'] : []),
    ...recommendations.flatMap((r) => {
      const n = missingFields.filter((f) => f.startsWith(`recommendations.${r.number}.`)).length;
      return n ? [`recommendation ${r.number} (${n} ${n === 1 ? 'part' : 'parts'})`] : [];
    }),
  ];
  const base = `/organise/${slug}`;
  const waiting = moderation.total;
  const analysed = consultation.status === 'analysing' || consultation.status === 'published';
  const steps: ChecklistStep[] = [
    {
      id: 'close',
      label: 'Close the consultation',
      done: LATER.includes(phase),
      detail: LATER.includes(phase)
        ? 'Closed: no more responses are accepted.'
        : phase === 'draft'
          ? 'Not open yet: open it, then close it when the time for responses is over.'
          : 'Still taking responses.',
      link:
        phase === 'open' || phase === 'upcoming'
          ? { href: `${base}/close`, text: 'Close the consultation' }
          : null,
    },
    {
      id: 'moderate',
      label: 'Moderate what is left',
      done: waiting === 0,
      detail:
        waiting === 0
          ? 'Nothing is waiting for a moderator.'
          : `${waiting} ${waiting === 1 ? 'item waits' : 'items wait'} for a moderator: comments and reasons waiting cannot be quoted.`,
      link: waiting === 0 ? null : { href: `/moderation/${slug}/queue`, text: 'Open the queue' },
    },
    {
      id: 'analyse',
      label: 'Review the analysis',
      done: analysed,
      detail: analysed
        ? 'Responses are settled and being analysed.'
        : 'Read the results, then start analysing on the closing page: responses are then settled.',
      link: analysed
        ? { href: `${base}/results`, text: 'Results dashboard' }
        : LATER.includes(phase)
          ? { href: `${base}/close`, text: 'Start analysing' }
          : { href: `${base}/results`, text: 'Results dashboard' },
    },
    {
      id: 'write',
      label: 'Write the summary',
      done: missing === 0,
      detail:
        missing === 0
          ? 'Every part is written.'
          : `${missing} ${missing === 1 ? 'part is' : 'parts are'} missing: ${where.join('; ')}.`,
      link: { href: `${base}/summary`, text: 'Summary editor' },
    },
    {
      id: 'publish',
      label: 'Publish the summary',
      done: !!latest,
      detail: latest
        ? `Version ${latest.number} is published.`
        : analysed
          ? 'Not published yet.'
          : 'Published once the responses are being analysed.',
      link: latest
        ? { href: `/consultations/${slug}/summary`, text: 'Read the published summary' }
        : analysed
          ? { href: `${base}/summary/publish`, text: 'Publish the summary' }
          : null,
    },
  ];
  return { steps, phase };
}
