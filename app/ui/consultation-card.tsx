import { Link } from '@remix-run/react';
import { formatUkDateTime } from '~/lib/dates';
import { nextStepShort, type SummaryDates } from '~/lib/lifecycle';
import type { Phase } from '~/lib/phase';
import { PhaseTag } from './phase-tag';

export type ConsultationSummary = {
  slug: string;
  title: string;
  summary: string;
  runBy: string;
  phase: Phase;
  opensAt: Date | string | null;
  closesAt: Date | string | null;
  recommendationCount: number;
  publishedSummary: SummaryDates | null;
};

/** When a consultation opens or closes, in one sentence. */
export function datesSentence(c: Pick<ConsultationSummary, 'phase' | 'opensAt' | 'closesAt'>) {
  if (c.phase === 'upcoming' && c.opensAt) return `Opens ${formatUkDateTime(c.opensAt)}`;
  if (c.phase === 'open' && c.closesAt) return `Closes ${formatUkDateTime(c.closesAt)}`;
  if ((c.phase === 'closed' || c.phase === 'analysing' || c.phase === 'published') && c.closesAt) {
    return `Closed ${formatUkDateTime(c.closesAt)}`;
  }
  return 'Dates not set yet';
}

export function ConsultationCard({
  consultation: c,
  headingLevel = 2,
}: {
  consultation: ConsultationSummary;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <li className="card">
      <PhaseTag phase={c.phase} />
      <Heading>
        <Link to={`/consultations/${c.slug}`}>{c.title}</Link>
      </Heading>
      <p>{c.summary}</p>
      <p className="card__meta">
        {datesSentence(c)} · {c.recommendationCount}{' '}
        {c.recommendationCount === 1 ? 'recommendation' : 'recommendations'} · Run by {c.runBy}
      </p>
      <p className="card__next">
        {nextStepShort(c)}
        {c.phase === 'published' ? (
          <>
            {' '}
            <Link to={`/consultations/${c.slug}/summary`}>
              Read the summary<span className="visually-hidden"> of {c.title}</span>
            </Link>
          </>
        ) : null}
      </p>
    </li>
  );
}
