import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { handler, submitForm } from '~/.server/http';
import { decideBulk, getQueue, requireModerationAccess } from '~/.server/moderation';
import { formatUkDateTime } from '~/lib/dates';
import { BulkDecisionSchema, QueueFilterSchema } from '~/lib/schemas/moderation';
import {
  DECISION_NOTE_MAX,
  HIDE_REASON_LABELS,
  ITEM_REF,
  QUEUE_AGES,
  QUEUE_AGE_LABELS,
  QUEUE_STATES,
  QUEUE_STATE_LABELS,
  QUEUE_TRIGGERS,
  QUEUE_TRIGGER_LABELS,
} from '~/lib/forms/moderation';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ErrorSummary, Radios, TextArea } from '~/ui/form';
import { FilterSelect, SEGMENT_NAMES, StateTag, triggerLabel } from '~/ui/moderation';
import { SelectField } from '~/ui/select-field';
import { SubmitButton } from '~/ui/submit-button';
import { ScrollRegion } from '~/ui/scroll-region';
import { HIDE_REASONS } from '~/lib/enums';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Moderation queue: ${data?.consultation.title ?? 'consultation'} – Open Consultation` },
];

export const loader = handler(async ({ db, viewer, params, request }) => {
  const search = new URL(request.url).searchParams;
  const filter = QueueFilterSchema.parse(Object.fromEntries(search));
  return getQueue(db, viewer, params.slug!, filter, search.get('after'));
});

export const action = handler(async ({ request, db, viewer, params, ctx }) => {
  await requireModerationAccess(db, viewer, params.slug!, { action: 'bulk decision', ctx });
  return submitForm(request, BulkDecisionSchema, async (input) => {
    const { applied, skipped } = await decideBulk(db, viewer, params.slug!, input, ctx);
    const back = new URL(request.url);
    back.searchParams.delete('after');
    back.searchParams.set('applied', String(applied));
    back.searchParams.set('skipped', String(skipped));
    back.searchParams.set('bulk', input.intent);
    return redirect(`${back.pathname}${back.search}`);
  });
});

const ORDER_LABELS = { oldest: 'Oldest first', newest: 'Newest first' };

export default function ModerationQueue() {
  const data = useLoaderData<typeof loader>();
  const { consultation: c, filter, items, counts, total, nextCursor, recommendations } = data;
  const feedback = useActionData<typeof action>();
  const [search] = useSearchParams();
  const base = `/moderation/${c.slug}/queue`;
  const filterParams = (overrides: Record<string, string | undefined>) => {
    const params = new URLSearchParams();
    const merged: Record<string, string | number | undefined> = { ...filter, ...overrides };
    for (const [key, value] of Object.entries(merged)) {
      if (value === undefined || value === '') continue;
      if ((key === 'state' && value === 'all') || (key === 'age' && value === 'any')) continue;
      if (key === 'order' && value === 'oldest') continue;
      params.set(key, String(value));
    }
    const text = params.toString();
    return text ? `?${text}` : '';
  };
  const current = filterParams({}).slice(1);
  const fromQuery = current ? `?from=${encodeURIComponent(current)}` : '';
  const applied = search.get('applied');
  const skipped = Number(search.get('skipped') ?? 0);
  const bulkVerb = search.get('bulk') === 'hide' ? 'hidden' : 'approved';
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/moderation', label: 'Moderation' },
          { to: `/moderation/${c.slug}`, label: c.title },
        ]}
      />
      <h1>
        <span className="caption">{c.title}</span>
        Moderation queue
      </h1>
      {applied !== null && !feedback ? (
        <div className="notice notice--success" role="status">
          <p>
            {applied} {applied === '1' ? 'item' : 'items'} {bulkVerb}.
            {skipped > 0
              ? ` ${skipped} skipped: someone else decided on them first, they are your own, or the decision did not fit them.`
              : ''}
          </p>
        </div>
      ) : null}
      {search.get('decided') && ITEM_REF.test(search.get('item') ?? '') && !feedback ? (
        <div className="notice notice--success" role="status">
          <p>
            Decision saved.{' '}
            <Link to={`/moderation/${c.slug}/items/${search.get('item') ?? ''}${fromQuery}`}>
              See it or undo it
            </Link>
          </p>
        </div>
      ) : null}

      <nav className="state-tabs" aria-label="Queue states">
        <ul>
          <li>
            <Link
              to={`${base}${filterParams({ state: 'all' })}`}
              aria-current={filter.state === 'all' ? 'page' : undefined}
            >
              All ({total})
            </Link>
          </li>
          {QUEUE_STATES.map((state) => (
            <li key={state}>
              <Link
                to={`${base}${filterParams({ state })}`}
                aria-current={filter.state === state ? 'page' : undefined}
              >
                {QUEUE_STATE_LABELS[state]} ({counts[state]})
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <Form method="get" className="filters" aria-label="Filter the queue">
        {filter.state !== 'all' ? <input type="hidden" name="state" value={filter.state} /> : null}
        <FilterSelect
          name="recommendation"
          label="Recommendation"
          anyLabel="All recommendations"
          value={filter.recommendation ? String(filter.recommendation) : ''}
          options={recommendations.map((r) => ({
            value: String(r.number),
            label: `${r.number}. ${r.title}`,
          }))}
        />
        <FilterSelect
          name="trigger"
          label="Reason"
          anyLabel="Any reason"
          value={filter.trigger ?? ''}
          options={QUEUE_TRIGGERS.map((t) => ({ value: t, label: QUEUE_TRIGGER_LABELS[t] }))}
        />
        <FilterSelect
          name="age"
          label="Posted"
          anyLabel="Any time"
          value={filter.age === 'any' ? '' : filter.age}
          options={QUEUE_AGES.filter((a) => a !== 'any').map((a) => ({
            value: a,
            label: QUEUE_AGE_LABELS[a],
          }))}
        />
        <FilterSelect
          name="segment"
          label="Author group"
          anyLabel="Everyone"
          value={filter.segment ?? ''}
          options={Object.entries(SEGMENT_NAMES).map(([value, label]) => ({ value, label }))}
        />
        <FilterSelect
          name="order"
          label="Order"
          anyLabel={ORDER_LABELS.oldest}
          value={filter.order === 'oldest' ? '' : filter.order}
          options={[{ value: 'newest', label: ORDER_LABELS.newest }]}
        />
        <div className="button-row">
          <button type="submit" className="button button--secondary">
            Apply filters
          </button>
          <Link to={`${base}${filter.state !== 'all' ? `?state=${filter.state}` : ''}`}>
            Clear filters
          </Link>
        </div>
      </Form>

      {items.length === 0 ? (
        <p>Nothing here is waiting for a decision.</p>
      ) : (
        <Form method="post" noValidate>
          <ErrorSummary
            feedback={feedback}
            labels={{ items: 'Items', intent: 'Decision', reason: 'Reason', note: 'Note' }}
            anchors={{ items: 'queue-table' }}
          />
          <ScrollRegion label="Items waiting for a decision (table)">
            <table className="table queue-table" id="queue-table">
              <caption className="visually-hidden">
                Items waiting for a decision, {filter.order === 'oldest' ? 'oldest' : 'newest'}{' '}
                first
              </caption>
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">Select</span>
                  </th>
                  <th scope="col">Item</th>
                  <th scope="col">Why it is here</th>
                  <th scope="col">Author</th>
                  <th scope="col">Posted</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item, index) => {
                  const name = `item:${item.ref}`;
                  const checked = feedback?.values?.[name] !== undefined;
                  return (
                    <tr key={item.ref}>
                      <td>
                        {item.isOwn ? (
                          <span className="muted">Yours</span>
                        ) : (
                          <div className="checkbox">
                            <input
                              type="checkbox"
                              id={`select-${index}`}
                              name={name}
                              value={item.seen}
                              defaultChecked={checked}
                            />
                            <label htmlFor={`select-${index}`}>
                              <span className="visually-hidden">
                                Select {item.type === 'comment' ? 'comment' : 'quote'} by{' '}
                                {item.authorName}
                              </span>
                            </label>
                          </div>
                        )}
                      </td>
                      <td>
                        <StateTag state={item.state} />{' '}
                        <span className="muted">
                          {item.type === 'comment' ? 'Comment' : 'Quote'} on recommendation{' '}
                          {item.recommendation.number}
                        </span>
                        <span className="queue-excerpt">{item.excerpt}</span>
                        <Link to={`/moderation/${c.slug}/items/${item.ref}${fromQuery}`}>
                          Review
                          <span className="visually-hidden"> this item by {item.authorName}</span>
                        </Link>
                      </td>
                      <td>
                        {item.triggers.length ? item.triggers.map(triggerLabel).join(', ') : '—'}
                        {item.reportCount > 0 ? (
                          <span className="muted">
                            {' '}
                            ({item.reportCount} {item.reportCount === 1 ? 'report' : 'reports'})
                          </span>
                        ) : null}
                      </td>
                      <td>
                        {item.authorName}
                        {item.segment ? (
                          <span className="muted">
                            , {SEGMENT_NAMES[item.segment] ?? item.segment}
                          </span>
                        ) : null}
                      </td>
                      <td>{formatUkDateTime(item.createdAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollRegion>
          <div className="bulk-panel">
            <h2>Decide on the selected items</h2>
            <Radios
              name="intent"
              legend="Decision"
              inline
              feedback={feedback}
              options={[
                { value: 'approve', label: 'Approve and publish' },
                { value: 'hide', label: 'Hide' },
              ]}
            />
            <SelectField
              name="reason"
              label="Reason for hiding (needed to hide)"
              feedback={feedback}
              options={HIDE_REASONS.map((r) => ({ value: r, label: HIDE_REASON_LABELS[r] }))}
            />
            <TextArea
              name="note"
              label="Note to the authors (optional)"
              hint="Sent to each author with the decision."
              rows={2}
              maxLength={DECISION_NOTE_MAX}
              feedback={feedback}
            />
            <SubmitButton pendingText="Applying…">Apply to selected items</SubmitButton>
          </div>
        </Form>
      )}
      {nextCursor ? (
        <p>
          <Link to={`${base}${filterParams({})}${filterParams({}) ? '&' : '?'}after=${nextCursor}`}>
            Next page
          </Link>
        </p>
      ) : null}
    </>
  );
}
