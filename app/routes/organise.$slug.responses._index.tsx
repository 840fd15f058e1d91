import { data, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { z } from 'zod';
import { handler } from '~/.server/http';
import { listResponsesForOrganiser } from '~/.server/responses';
import { formatUkDateTime } from '~/lib/dates';
import { SEGMENT_LABELS } from '~/lib/forms/accounts';
import { ResponseFiltersSchema } from '~/lib/schemas/responses';
import { CONSENT_SHORT, STANCE_LABELS } from '~/lib/forms/responses';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { SelectField } from '~/ui/select-field';
import { ScrollRegion } from '~/ui/scroll-region';
import { SEGMENTS, STANCES } from '~/lib/enums';

export const meta: MetaFunction = () => [{ title: 'Responses – Open Consultation' }];

export const loader = handler(async ({ db, viewer, params, request }) => {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const filters = ResponseFiltersSchema.safeParse(query);
  if (!filters.success) {
    const problems = z.flattenError(filters.error);
    throw data(
      {
        message: `Those filters are not valid. Segment must be one of ${SEGMENTS.join(', ')}; view one of ${STANCES.join(', ')}. ${problems.formErrors.join(' ')}`,
      },
      { status: 400 },
    );
  }
  return {
    ...(await listResponsesForOrganiser(db, viewer, params.slug!, filters.data)),
    filters: filters.data,
  };
});

export default function Responses() {
  const {
    consultation: c,
    recommendations,
    responses,
    nextCursor,
    filters,
  } = useLoaderData<typeof loader>();
  const next = new URLSearchParams(
    Object.entries({ ...filters, after: nextCursor ?? '' }).filter(
      (entry): entry is [string, string] => !!entry[1],
    ),
  );
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/organise', label: 'Organise' },
          { to: `/organise/${c.slug}`, label: c.title },
        ]}
      />
      <h1>
        <span className="caption">{c.title}</span>
        Responses
      </h1>
      <p className="lead">
        Every submitted response, whatever its publishing choice. Newest first.
      </p>
      <Form method="get" className="filters" aria-label="Filter responses">
        <SelectField
          name="segment"
          label="Respondent group"
          defaultValue={filters.segment ?? ''}
          options={SEGMENTS.map((s) => ({ value: s, label: SEGMENT_LABELS[s] }))}
        />
        <SelectField
          name="recommendation"
          label="Answered recommendation"
          defaultValue={filters.recommendation ?? ''}
          options={recommendations.map((r) => ({
            value: r.slug,
            label: `${r.number}. ${r.title}`,
          }))}
        />
        <SelectField
          name="stance"
          label="With this view (choose a recommendation too)"
          defaultValue={filters.stance ?? ''}
          options={STANCES.map((s) => ({ value: s, label: STANCE_LABELS[s] }))}
        />
        <div className="button-row">
          <button type="submit" className="button button--secondary">
            Apply filters
          </button>
          <Link to={`/organise/${c.slug}/responses`}>Clear filters</Link>
        </div>
      </Form>
      {responses.length === 0 ? (
        <p>No submitted responses match.</p>
      ) : (
        <ScrollRegion label="Submitted responses (table)">
          <table className="table">
            <caption className="visually-hidden">Submitted responses</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Respondent</th>
                <th scope="col">Group</th>
                <th scope="col">Publishing</th>
                <th scope="col">Last submitted</th>
              </tr>
            </thead>
            <tbody>
              {responses.map((r) => (
                <tr key={r.reference}>
                  <td>
                    <Link to={`/organise/${c.slug}/responses/${r.reference}`}>{r.reference}</Link>
                  </td>
                  <td>
                    {r.displayName}
                    {r.organisation ? <span className="muted">, {r.organisation}</span> : null}
                  </td>
                  <td>
                    {r.segment === 'other' ? `Other: ${r.segmentOther}` : SEGMENT_LABELS[r.segment]}
                  </td>
                  <td>{CONSENT_SHORT[r.consent]}</td>
                  <td>
                    {formatUkDateTime(r.lastSubmittedAt)}
                    {r.version > 1 ? ` (version ${r.version})` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {nextCursor ? (
        <p>
          <Link to={`?${next.toString()}`}>Older responses</Link>
        </p>
      ) : null}
    </>
  );
}
