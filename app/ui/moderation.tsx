import { QUEUE_STATE_LABELS, QUEUE_TRIGGER_LABELS, type QueueState } from '~/lib/forms/moderation';

export const STATUS_LABELS: Record<string, string> = {
  visible: 'Published',
  published: 'Published',
  held: 'Held for review',
  hidden: 'Hidden',
  pending: 'Waiting for approval',
  deleted: 'Deleted by its author',
};

export const SEGMENT_NAMES: Record<string, string> = {
  founder: 'Founder',
  investor: 'Investor',
  other: 'Other',
};

export function triggerLabel(trigger: string) {
  return QUEUE_TRIGGER_LABELS[trigger as keyof typeof QUEUE_TRIGGER_LABELS] ?? trigger;
}

const STATE_TONE: Record<QueueState, string> = {
  reported: 'upcoming',
  auto_hidden: 'draft',
  held: 'closed',
  pending_quote: 'published',
  escalated: 'draft',
  appeal: 'upcoming',
};

/** The queue state as a tag: the words carry the meaning, the colour repeats it. */
export function StateTag({ state }: { state: QueueState }) {
  return <strong className={`tag tag--${STATE_TONE[state]}`}>{QUEUE_STATE_LABELS[state]}</strong>;
}

export function StatusTag({ status }: { status: string }) {
  const tone =
    status === 'hidden'
      ? 'draft'
      : status === 'visible' || status === 'published'
        ? 'open'
        : 'closed';
  return <strong className={`tag tag--${tone}`}>{STATUS_LABELS[status] ?? status}</strong>;
}

/** A filter select whose empty choice means "any". */
export function FilterSelect({
  name,
  label,
  value,
  options,
  anyLabel = 'Any',
}: {
  name: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  anyLabel?: string;
}) {
  return (
    <div className="field">
      <label className="field__label" htmlFor={`filter-${name}`}>
        {label}
      </label>
      <select id={`filter-${name}`} name={name} className="select" defaultValue={value}>
        <option value="">{anyLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
