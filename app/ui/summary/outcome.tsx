import type { OutcomeStatus } from '~/lib/enums';
import { formatDay } from '~/lib/results/format';
import type { OutcomeUpdateView } from '~/lib/summary-snapshot';

/** An outcome in words; the colour only repeats them. */
export function OutcomeTag({ status, label }: { status: OutcomeStatus; label: string }) {
  return <strong className={`outcome-tag outcome-tag--${status}`}>{label}</strong>;
}

/** What happened to a recommendation after the summary was published, oldest first. */
export function OutcomeTimeline({ updates }: { updates: OutcomeUpdateView[] }) {
  return (
    <ol className="timeline">
      {updates.map((u) => (
        <li key={u.id}>
          <p className="timeline__when">
            <time dateTime={u.happenedOn}>{formatDay(u.happenedOn)}</time>
            {' · '}
            <OutcomeTag status={u.status} label={u.statusLabel} />
          </p>
          <div className="prose" dangerouslySetInnerHTML={{ __html: u.noteHtml }} />
        </li>
      ))}
    </ol>
  );
}
