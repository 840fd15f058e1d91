import type { MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useSearchParams } from '@remix-run/react';
import { handler } from '~/.server/http';
import { listMyResponses } from '~/.server/responses';
import { formatUkDateTime } from '~/lib/dates';
import { PhaseTag } from '~/ui/phase-tag';
import { ScrollRegion } from '~/ui/scroll-region';

export const meta: MetaFunction = () => [{ title: 'Your responses – Open Consultation' }];

export const loader = handler(async ({ db, viewer }) => ({
  responses: await listMyResponses(db, viewer),
}));

const NOTICES: Record<string, string> = {
  withdrawn: 'Your response has been withdrawn. We have emailed you to confirm.',
  'already-withdrawn': 'Your response had already been withdrawn: nothing more was changed.',
};

export default function MyResponses() {
  const { responses } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const notice = NOTICES[params.get('notice') ?? ''];
  return (
    <>
      <h1>Your responses</h1>
      {notice ? (
        <div className="notice notice--success" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      <p>
        <Link to="/account/profile">Change your details</Link> ·{' '}
        <a href="/account/data.json" download>
          Download all your data
        </a>{' '}
        · <Link to="/account/delete">Delete your account</Link>
      </p>
      {responses.length === 0 ? (
        <p>
          You have not started a response yet.{' '}
          <Link to="/consultations">See the consultations</Link>.
        </p>
      ) : (
        <ScrollRegion label="Your responses (table)">
          <table className="table">
            <caption className="visually-hidden">Your responses</caption>
            <thead>
              <tr>
                <th scope="col">Consultation</th>
                <th scope="col">Your response</th>
                <th scope="col">Consultation status</th>
              </tr>
            </thead>
            <tbody>
              {responses.map((r) => (
                <tr key={r.slug}>
                  <td>
                    <Link to={`/consultations/${r.slug}/respond`}>{r.title}</Link>
                  </td>
                  <td>
                    {r.status === 'draft' ? (
                      <>Draft, last saved {formatUkDateTime(r.updatedAt)}</>
                    ) : (
                      <>
                        Submitted {formatUkDateTime(r.firstSubmittedAt!)}
                        {r.version > 1 ? `, edited ${formatUkDateTime(r.lastSubmittedAt!)}` : ''}
                        <br />
                        Reference <strong>{r.reference}</strong>
                        {r.hasUnsubmittedChanges ? (
                          <>
                            <br />
                            <strong>Changes not submitted yet</strong>
                          </>
                        ) : null}
                        {r.phase === 'open' ? (
                          <>
                            <br />
                            <Link
                              to={`/consultations/${r.slug}/respond/withdraw`}
                              aria-label={`Withdraw this response to ${r.title}`}
                            >
                              Withdraw this response
                            </Link>
                          </>
                        ) : null}
                      </>
                    )}
                  </td>
                  <td>
                    <PhaseTag phase={r.phase} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </>
  );
}
