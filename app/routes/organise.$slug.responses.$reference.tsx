import type { MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { handler } from '~/.server/http';
import { getResponseForOrganiser } from '~/.server/responses';
import { formatUkDateTime } from '~/lib/dates';
import { SEGMENT_LABELS } from '~/lib/forms/accounts';
import {
  CONSENT_LABELS,
  IMPORTANCE_LABELS,
  STAGE_LABELS,
  STANCE_LABELS,
} from '~/lib/forms/responses';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { SummaryList } from '~/ui/questionnaire';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Response ${data?.response.reference ?? ''} – Open Consultation` },
];

export const loader = handler(async ({ db, viewer, params }) =>
  getResponseForOrganiser(db, viewer, params.slug!, params.reference!),
);

export default function ResponseDetail() {
  const { consultation: c, response: r, answers, versions } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/organise', label: 'Organise' },
          { to: `/organise/${c.slug}`, label: c.title },
          { to: `/organise/${c.slug}/responses`, label: 'Responses' },
        ]}
      />
      <h1>
        <span className="caption">Response</span>
        {r.reference}
      </h1>
      <SummaryList
        rows={[
          { key: 'name', label: 'Respondent', value: r.displayName ?? '' },
          { key: 'org', label: 'Organisation', value: r.organisation ?? 'Not given' },
          {
            key: 'segment',
            label: 'Group',
            value: r.segment === 'other' ? `Other: ${r.segmentOther}` : SEGMENT_LABELS[r.segment],
          },
          {
            key: 'stage',
            label: 'Stage or type',
            value: r.organisationStage ? STAGE_LABELS[r.organisationStage] : 'Not given',
          },
          { key: 'region', label: 'Based in', value: r.region ?? 'Not given' },
          {
            key: 'verified',
            label: 'Verified organisation',
            value: `${r.verifiedNow ? 'Yes' : 'No'}${r.verified === r.verifiedNow ? '' : ` (${r.verified ? 'verified' : 'not verified'} when submitted)`}`,
          },
          { key: 'consent', label: 'Publishing', value: CONSENT_LABELS[r.consent].label },
          {
            key: 'submitted',
            label: 'Submitted',
            value: `${formatUkDateTime(r.firstSubmittedAt)}${r.version > 1 ? `; version ${r.version} on ${formatUkDateTime(r.lastSubmittedAt)}` : ''}`,
          },
        ]}
      />
      <h2>Answers</h2>
      {answers.map((a) => (
        <section key={a.number} aria-labelledby={`answer-${a.number}`}>
          <h3 id={`answer-${a.number}`}>
            {a.number}. {a.title}
          </h3>
          <SummaryList
            rows={[
              {
                key: 'stance',
                label: 'View',
                value: a.stance ? STANCE_LABELS[a.stance] : 'Not answered',
              },
              {
                key: 'importance',
                label: 'Importance',
                value: a.importance
                  ? `${a.importance}: ${IMPORTANCE_LABELS[a.importance]}`
                  : 'Not given',
              },
              { key: 'reasons', label: 'Reasons', value: a.reasons ?? 'None given' },
              {
                key: 'change',
                label: 'What would change their mind',
                value: a.changeMind ?? 'None given',
              },
            ]}
          />
        </section>
      ))}
      <h2>Overall comments</h2>
      <p className="narrow" style={{ whiteSpace: 'pre-wrap' }}>
        {r.overallComments || 'None given'}
      </p>
      <h2>Versions</h2>
      <ol>
        {versions.map((v) => (
          <li key={v.number}>
            Version {v.number}, submitted {formatUkDateTime(v.submittedAt)}
            {v.number === r.version ? ' (counts)' : ''}
          </li>
        ))}
      </ol>
    </>
  );
}
