import { Link } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { formatUkDateTime } from '~/lib/dates';
import { isoDateParts } from '~/lib/date-parts';
import { DateFields } from './date-fields';
import { TextInput, type FormFeedback } from './form';
import { SelectField } from './select-field';

export type AuditFilterValues = {
  actor: string | null;
  action: string | null;
  targetType: string | null;
  from: string | null;
  to: string | null;
};

export type AuditEventView = {
  id: number;
  occurred_at: string | Date;
  action: string;
  target_type: string;
  target_id: string;
  reason: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
  actor_email: string | null;
  actor_name: string | null;
  consultation_slug: string | null;
  target_name: string | null;
};

export const AUDIT_FILTER_LABELS = {
  actor: 'Done by',
  action: 'Action',
  targetType: 'Target type',
  from: 'From',
  to: 'To',
};

function describe(value: unknown) {
  return value === null || value === undefined ? null : JSON.stringify(value, null, 2);
}

function query(filters: AuditFilterValues, extra: Record<string, string> = {}) {
  const entries = Object.entries({ ...filters, ...extra }).filter(
    (entry): entry is [string, string] => !!entry[1],
  );
  return new URLSearchParams(entries).toString();
}

/** Filters, the events and a link to older ones, shared by the consultation and site logs. */
export function AuditLog({
  basePath,
  csvPath,
  filters,
  feedback,
  actions,
  targetTypes,
  events,
  nextBefore,
  showConsultation,
}: {
  basePath: string;
  csvPath: string;
  filters: AuditFilterValues;
  feedback?: FormFeedback;
  actions: string[];
  targetTypes: string[];
  events: AuditEventView[];
  nextBefore: number | null;
  showConsultation?: boolean;
}) {
  const filtered = Object.values(filters).some(Boolean);
  return (
    <>
      <Form method="get" action={basePath} className="filters" aria-label="Filter the audit log">
        <TextInput
          name="actor"
          type="email"
          label="Done by (email address)"
          feedback={feedback}
          defaultValue={filters.actor ?? ''}
        />
        <SelectField
          name="action"
          label="Action"
          feedback={feedback}
          defaultValue={filters.action ?? ''}
          options={actions.map((a) => ({ value: a, label: a }))}
        />
        <SelectField
          name="targetType"
          label="Target type"
          feedback={feedback}
          defaultValue={filters.targetType ?? ''}
          options={targetTypes.map((t) => ({ value: t, label: t }))}
        />
        <DateFields
          name="from"
          legend="From (date)"
          feedback={feedback}
          defaultValue={isoDateParts(filters.from)}
        />
        <DateFields
          name="to"
          legend="To (date, included)"
          feedback={feedback}
          defaultValue={isoDateParts(filters.to)}
        />
        <div className="button-row">
          <button type="submit" className="button button--secondary">
            Apply filters
          </button>
          {filtered ? <Link to={basePath}>Clear filters</Link> : null}
        </div>
      </Form>
      <p>
        <a href={`${csvPath}${filtered ? `?${query(filters)}` : ''}`} download>
          Download {filtered ? 'these entries' : 'the whole log'} as CSV
        </a>
      </p>
      {events.length ? (
        <ol className="audit" aria-label="Audit entries, newest first">
          {events.map((e) => {
            const before = describe(e.before);
            const after = describe(e.after);
            return (
              <li key={e.id}>
                <strong>{e.action}</strong> on {e.target_type}{' '}
                {e.target_name ? `${e.target_name} ` : null}
                <code className="muted">{e.target_id}</code> by{' '}
                {e.actor_name ? `${e.actor_name} (${e.actor_email})` : 'the system'} on{' '}
                {formatUkDateTime(e.occurred_at)}
                {showConsultation && e.consultation_slug ? (
                  <>
                    {' '}
                    in <Link to={`/organise/${e.consultation_slug}`}>{e.consultation_slug}</Link>
                  </>
                ) : null}
                {e.reason ? <p>Reason: {e.reason}</p> : null}
                {before || after || e.request_id ? (
                  <details>
                    <summary>Details</summary>
                    {before ? <pre>Before: {before}</pre> : null}
                    {after ? <pre>After: {after}</pre> : null}
                    {e.request_id ? <pre>Request: {e.request_id}</pre> : null}
                  </details>
                ) : null}
              </li>
            );
          })}
        </ol>
      ) : (
        <p>{filtered ? 'No entries match these filters.' : 'Nothing has been recorded yet.'}</p>
      )}
      {nextBefore ? (
        <p>
          <Link to={`${basePath}?${query(filters, { before: String(nextBefore) })}`}>
            Older entries
          </Link>
        </p>
      ) : null}
    </>
  );
}
