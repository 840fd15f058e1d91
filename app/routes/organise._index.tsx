import type { MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { listConsultations } from '~/.server/consultations';
import { countPendingVerifications } from '~/.server/verification';
import { handler } from '~/.server/http';
import { requireSiteOrganiser } from '~/.server/auth';
import { datesSentence } from '~/ui/consultation-card';
import { PhaseTag } from '~/ui/phase-tag';
import { ScrollRegion } from '~/ui/scroll-region';

export const meta: MetaFunction = () => [{ title: 'Organise – Open Consultation' }];

export const loader = handler(async ({ db, viewer }) => {
  requireSiteOrganiser(viewer, 'You do not have permission to do that.');
  return {
    consultations: await listConsultations(db, viewer),
    pendingVerifications: await countPendingVerifications(db, viewer),
  };
});

export default function Organise() {
  const { consultations, pendingVerifications } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Organise consultations</h1>
      <p>
        <Link to="/organise/new" className="button">
          Create a consultation
        </Link>
      </p>
      <nav aria-label="Site administration">
        <ul className="task-list">
          <li>
            <Link to="/organise/verification">Verification requests</Link>
            {pendingVerifications ? (
              <span className="tag"> {pendingVerifications} waiting</span>
            ) : null}
          </li>
          <li>
            <Link to="/organise/accounts">Accounts and suspensions</Link>
          </li>
          <li>
            <Link to="/organise/audit">Site audit log</Link>
          </li>
        </ul>
      </nav>
      <ScrollRegion label="All consultations (table)">
        <table className="table">
          <caption className="visually-hidden">All consultations, including drafts</caption>
          <thead>
            <tr>
              <th scope="col">Consultation</th>
              <th scope="col">Status</th>
              <th scope="col">Dates</th>
              <th scope="col">Recommendations</th>
            </tr>
          </thead>
          <tbody>
            {consultations.map((c) => (
              <tr key={c.slug}>
                <td>
                  <Link to={`/organise/${c.slug}`}>{c.title}</Link>
                </td>
                <td>
                  <PhaseTag phase={c.phase} />
                </td>
                <td>{datesSentence(c)}</td>
                <td>{c.recommendationCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}
