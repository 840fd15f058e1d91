import { Link } from '@remix-run/react';
import { formatUkDateTime } from '~/lib/dates';
import type { OutcomeUpdateView, SummarySnapshot } from '~/lib/summary-snapshot';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { SummaryView } from './summary-view';
import { OpenDataLink } from '~/ui/open-data-link';

export type VersionListItem = {
  number: number;
  publishedAt: Date | string;
  changeNote: string | null;
  contentHash: string;
};

export type SummaryPageProps = {
  version: {
    number: number;
    latestNumber: number;
    isLatest: boolean;
    contentHash: string;
    snapshot: SummarySnapshot;
  };
  versions: VersionListItem[];
  outcomeUpdates: Record<string, OutcomeUpdateView[]>;
};

export function summaryPath(slug: string, number?: number) {
  return `/consultations/${slug}/summary${number ? `/v/${number}` : ''}`;
}

export function changesPath(slug: string, from: number, to: number) {
  return `/consultations/${slug}/summary/changes?from=${from}&to=${to}`;
}

/** Every published version, newest first, each with its note, time and hash. */
export function VersionList({
  slug,
  versions,
  current,
}: {
  slug: string;
  versions: VersionListItem[];
  current: number | null;
}) {
  const latest = versions.at(-1)?.number;
  return (
    <ol className="versions" reversed>
      {[...versions].reverse().map((v) => (
        <li key={v.number}>
          {v.number === current ? (
            <strong aria-current="page">
              Version {v.number}
              {v.number === latest ? ' (latest)' : ''}, shown above
            </strong>
          ) : (
            <Link to={summaryPath(slug, v.number === latest ? undefined : v.number)}>
              Version {v.number}
              {v.number === latest ? ' (latest)' : ''}
            </Link>
          )}
          <span className="versions__meta">
            Published {formatUkDateTime(v.publishedAt)} (UK time).{' '}
            {v.changeNote ? `Change note: ${v.changeNote}` : 'First published version.'}
          </span>
          <span className="versions__meta">
            SHA-256 <code className="hash">{v.contentHash}</code>
          </span>
          {v.number > 1 ? (
            <Link to={changesPath(slug, v.number - 1, v.number)}>
              What changed from version {v.number - 1}
              <span className="visually-hidden"> to version {v.number}</span>
            </Link>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** The public page of one published version: banner if older, the summary, its versions. */
export function SummaryPage({ version, versions, outcomeUpdates }: SummaryPageProps) {
  const s = version.snapshot;
  const slug = s.consultation.slug;
  return (
    <div className="summary-page">
      <Breadcrumbs
        items={[
          { to: '/consultations', label: 'Consultations' },
          { to: `/consultations/${slug}`, label: s.consultation.title },
        ]}
      />
      {version.isLatest ? null : (
        <div className="notice notice--warning version-banner" role="note">
          <p>
            <strong>This is version {version.number}, an earlier version of this summary.</strong>{' '}
            It has been corrected since: version {version.latestNumber} is the latest.
          </p>
          <p>
            <Link to={summaryPath(slug)}>Read the latest version</Link>
            {' · '}
            <Link to={changesPath(slug, version.number, version.latestNumber)}>
              See what changed since this version
            </Link>
          </p>
        </div>
      )}
      <SummaryView snapshot={s} outcomeUpdates={outcomeUpdates} contentHash={version.contentHash} />
      <section className="summary-versions" aria-labelledby="versions-title">
        <h2 id="versions-title">Versions of this summary</h2>
        <p>
          A published version is never edited. A correction is published as a new version with a
          note saying what changed; every version keeps its own address.
        </p>
        <VersionList slug={slug} versions={versions} current={version.number} />
        {versions.length > 1 ? (
          <p>
            <Link to={`/consultations/${slug}/summary/changes`}>Compare any two versions</Link>
          </p>
        ) : null}
      </section>
      <OpenDataLink slug={slug} />
      <p className="summary-actions">
        <Link to={`/consultations/${slug}/results`}>See the full results</Link>
        {' · '}
        <Link to={`/consultations/${slug}`}>Back to the consultation</Link>
      </p>
      <p className="summary-actions muted">
        To keep a copy, print this page or save it as a PDF from your browser’s print menu: it
        prints as a clean A4 document with the content hash.
      </p>
    </div>
  );
}
