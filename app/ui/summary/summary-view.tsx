import { formatUkDate, formatUkDateTime } from '~/lib/dates';
import { formatCount, formatDay } from '~/lib/results/format';
import { linkCitations } from '~/lib/summary-citations';
import type { OutcomeUpdateView, SummarySnapshot } from '~/lib/summary-snapshot';
import { ResponsesSentence } from '~/ui/results/responses-sentence';
import { ChosenQuotes, EvidenceList } from './evidence';
import { SummaryMethod } from './method';
import { OutcomeTag, OutcomeTimeline } from './outcome';
import { SummaryResultBlock } from './result-block';

type Recommendation = SummarySnapshot['recommendations'][number];

export type SummaryViewProps = {
  snapshot: SummarySnapshot;
  /** Dated updates since publication, by recommendation slug; left out on older versions. */
  outcomeUpdates?: Record<string, OutcomeUpdateView[]>;
  /** The version's SHA-256, printed so anyone can check a copy; a preview has none yet. */
  contentHash?: string | null;
  /** The organisers' preview of a draft: exactly the public page, marked as not public. */
  preview?: boolean;
};

/** The id of a recommendation's part of the summary, for links from other pages. */
export function recommendationAnchor(number: number) {
  return `recommendation-${number}`;
}

function Html({ html, className = 'prose' }: { html: string; className?: string }) {
  return <div className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}

function period(c: SummarySnapshot['consultation']) {
  if (c.opensAt && c.closesAt) return `${formatUkDate(c.opensAt)} to ${formatUkDate(c.closesAt)}`;
  if (c.closesAt) return `Closed ${formatUkDate(c.closesAt)}`;
  return 'Dates not recorded';
}

/** One recommendation's part of the summary: outcome, results, you said with its evidence, we did. */
export function RecommendationSummary({
  r,
  updates,
  threshold,
  heading: Heading = 'h2',
  ownPage,
}: {
  r: Recommendation;
  updates: OutcomeUpdateView[];
  threshold: number;
  /** h1 on the recommendation's own summary page. */
  heading?: 'h1' | 'h2';
  /** The address of this recommendation's own summary page, linked from the whole summary. */
  ownPage?: string;
}) {
  const id = recommendationAnchor(r.number);
  const latest = updates.at(-1);
  // Headings one level below the recommendation's own, on its own page as in the whole summary.
  const Sub = Heading === 'h1' ? 'h2' : 'h3';
  const Minor = Heading === 'h1' ? 'h3' : 'h4';
  return (
    <section className="summary-recommendation" id={id} aria-labelledby={`${id}-title`}>
      <Heading id={`${id}-title`}>
        <span className="caption">
          {Heading === 'h1' ? 'We asked, you said, we did: recommendation' : 'Recommendation'}{' '}
          {r.number}
        </span>
        {r.title}
      </Heading>
      {ownPage ? (
        <p className="summary-own-page">
          <a href={ownPage}>
            This recommendation on its own page
            <span className="visually-hidden">: {r.title}</span>
          </a>
        </p>
      ) : null}
      <p className="summary-outcome">
        {latest ? 'Outcome now: ' : 'Outcome: '}
        <OutcomeTag
          status={latest?.status ?? r.outcome.status}
          label={latest?.statusLabel ?? r.outcome.label}
        />
        {latest ? (
          <span className="muted">
            {' '}
            (updated {formatDay(latest.happenedOn)}; {r.outcome.label.toLowerCase()} when this
            summary was published)
          </span>
        ) : null}
      </p>

      <Sub>What the responses show</Sub>
      <SummaryResultBlock block={r.results} title={r.title} threshold={threshold} />

      <Sub id={`${id}-you-said`}>You said</Sub>
      <Html html={linkCitations(r.youSaid.html, r.number, r.citations.length)} />
      {r.citations.length ? (
        <>
          <Minor>Evidence cited</Minor>
          <EvidenceList items={r.citations} recommendationNumber={r.number} />
        </>
      ) : null}
      {r.quotes.length ? (
        <>
          <Minor>In their own words</Minor>
          <ChosenQuotes quotes={r.quotes} recommendationNumber={r.number} />
        </>
      ) : null}

      <Sub>We did</Sub>
      <Html html={r.weDid.html} />
      <p className="summary-outcome summary-outcome--decision">
        Outcome when published: <OutcomeTag status={r.outcome.status} label={r.outcome.label} />
      </p>
      {r.outcome.reasons.markdown.trim() ? (
        <>
          <Minor>Why</Minor>
          <Html html={r.outcome.reasons.html} />
        </>
      ) : null}

      {updates.length ? (
        <>
          <Sub>What has happened since</Sub>
          <OutcomeTimeline updates={updates} />
        </>
      ) : null}
    </section>
  );
}

/**
 * A consultation's summary ("we asked, you said, we did") drawn from one frozen snapshot and
 * nothing else, so the organisers' preview and every published version read the same.
 */
export function SummaryView({
  snapshot: s,
  outcomeUpdates = {},
  contentHash = null,
  preview = false,
}: SummaryViewProps) {
  const threshold = s.method.smallGroupThreshold;
  const total = s.respondents.find((r) => r.group === 'all')?.responses ?? null;
  return (
    <article className="summary" aria-labelledby="summary-title">
      {preview ? (
        <div className="notice notice--warning" role="note">
          <p>
            <strong>Preview: not public yet.</strong> This is how the summary will look once it is
            published. Every figure and quote is checked again when you publish.
          </p>
        </div>
      ) : null}
      <h1 id="summary-title">
        <span className="caption">We asked, you said, we did</span>
        {s.consultation.title}
      </h1>
      <dl className="facts summary-facts">
        <dt>Run by</dt>
        <dd>{s.consultation.runBy}</dd>
        <dt>Open for comment</dt>
        <dd>{period(s.consultation)}</dd>
        <dt>Responses</dt>
        <dd>{total === null ? `Fewer than ${threshold}` : formatCount(total)}</dd>
        <dt>{preview ? 'Status' : 'Published'}</dt>
        <dd>
          {preview ? (
            'Draft, not published'
          ) : (
            <>
              <time dateTime={s.publishedAt}>{formatUkDateTime(s.publishedAt)}</time> (UK time),
              version {s.number}
            </>
          )}
        </dd>
        {s.changeNote ? (
          <>
            <dt>What this version corrects</dt>
            <dd>{s.changeNote}</dd>
          </>
        ) : null}
        {preview ? null : (
          <>
            <dt>Content hash (SHA-256)</dt>
            <dd>
              <code className="hash">{contentHash ?? 'Not recorded'}</code>
            </dd>
          </>
        )}
        {s.licence ? (
          <>
            <dt>Licence</dt>
            <dd>{s.licence}</dd>
          </>
        ) : null}
      </dl>

      <nav className="summary-contents" aria-labelledby="summary-contents">
        <h2 id="summary-contents">Contents</h2>
        <ol>
          <li>
            <a href="#we-asked">We asked</a>
          </li>
          {s.recommendations.map((r) => (
            <li key={r.number}>
              <a href={`#${recommendationAnchor(r.number)}`}>
                Recommendation {r.number}: {r.title}
              </a>{' '}
              <span className="muted">
                ({(outcomeUpdates[r.slug]?.at(-1)?.statusLabel ?? r.outcome.label).toLowerCase()})
              </span>
            </li>
          ))}
          <li>
            <a href="#method">How these figures were made</a>
          </li>
        </ol>
      </nav>

      <section id="we-asked" aria-labelledby="we-asked-title">
        <h2 id="we-asked-title">We asked</h2>
        <Html html={s.intro.html} />
        <ResponsesSentence responses={s.respondents} verifiedOnly={false} />
      </section>

      {s.recommendations.map((r) => (
        <RecommendationSummary
          key={r.number}
          r={r}
          updates={outcomeUpdates[r.slug] ?? []}
          threshold={threshold}
          ownPage={
            preview
              ? undefined
              : `/consultations/${s.consultation.slug}/summary/recommendations/${r.slug}`
          }
        />
      ))}

      <SummaryMethod snapshot={s} preview={preview} />
    </article>
  );
}
