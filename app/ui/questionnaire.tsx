import { Link } from '@remix-run/react';
import type { ReactNode } from 'react';
import { formatUkDateTime } from '~/lib/dates';
import type { Phase } from '~/lib/phase';

/** "Question 3 of 9", with a bar that repeats it for sighted readers. */
export function Progress({ step, total }: { step: number; total: number }) {
  const percent = Math.round((step / total) * 100);
  return (
    <div className="progress">
      <p className="caption">
        Step {step} of {total}
      </p>
      <div className="progress__bar" aria-hidden="true">
        <div className="progress__fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

export function BackLink({ to, children = 'Back' }: { to: string; children?: ReactNode }) {
  return (
    <Link to={to} className="back-link">
      {children}
    </Link>
  );
}

/** What a respondent sees instead of a form when the consultation is not open. */
export function NotOpenNotice({
  consultation,
}: {
  consultation: {
    slug: string;
    phase: Phase;
    opensAt: Date | string | null;
    closesAt: Date | string | null;
  };
}) {
  return (
    <div className="notice" role="status">
      {consultation.phase === 'upcoming' && consultation.opensAt ? (
        <p>
          This consultation opens on {formatUkDateTime(consultation.opensAt)}. Come back then to
          respond.
        </p>
      ) : (
        <p>
          This consultation closed
          {consultation.closesAt ? ` on ${formatUkDateTime(consultation.closesAt)}` : ''}, so
          responses can no longer be given or changed.
        </p>
      )}
      <p>
        <Link to={`/consultations/${consultation.slug}`}>Back to the consultation</Link>
      </p>
    </div>
  );
}

/** Rows of question and answer with a change link, as on a check-your-answers page. */
export function SummaryList({
  rows,
}: {
  rows: {
    key: string;
    label: ReactNode;
    value: ReactNode;
    changeTo?: string;
    changeLabel?: string;
  }[];
}) {
  return (
    <dl className="summary-list">
      {rows.map((row) => (
        <div className="summary-list__row" key={row.key}>
          <dt className="summary-list__key">{row.label}</dt>
          <dd className="summary-list__value">{row.value}</dd>
          {row.changeTo ? (
            <dd className="summary-list__actions">
              <Link to={row.changeTo}>
                Change<span className="visually-hidden"> {row.changeLabel}</span>
              </Link>
            </dd>
          ) : null}
        </div>
      ))}
    </dl>
  );
}
