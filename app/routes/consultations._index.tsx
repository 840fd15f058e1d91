import type { MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { listConsultations } from '~/.server/consultations';
import { handler } from '~/.server/http';
import { ConsultationCard } from '~/ui/consultation-card';

export const meta: MetaFunction = () => [{ title: 'Consultations – Open Consultation' }];

export const loader = handler(async ({ db, viewer }) => ({
  consultations: await listConsultations(db, viewer),
}));

export default function Consultations() {
  const { consultations } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Consultations</h1>
      <p className="lead">Every consultation on this site, open ones first.</p>
      {consultations.length ? (
        <ul className="card-list">
          {consultations.map((c) => (
            <ConsultationCard key={c.slug} consultation={c} />
          ))}
        </ul>
      ) : (
        <p>There are no consultations yet.</p>
      )}
    </>
  );
}
