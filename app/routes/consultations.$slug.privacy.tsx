import type { MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { handler } from '~/.server/http';
import { getConsultationNotice } from '~/.server/privacy';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { PrivacyNoticeDetails } from '~/ui/privacy-notice';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Privacy notice: ${data.consultation.title} – Open Consultation`
      : 'Privacy notice – Open Consultation',
  },
];

export const loader = handler(async ({ db, params }) => getConsultationNotice(db, params.slug!));

export default function ConsultationPrivacy() {
  const { consultation, notice, ownParts } = useLoaderData<typeof loader>();
  const usesDefaults = Object.values(ownParts).some((own) => !own);
  return (
    <div className="narrow">
      <Breadcrumbs
        items={[
          { label: 'Consultations', to: '/consultations' },
          { label: consultation.title, to: `/consultations/${consultation.slug}` },
        ]}
      />
      <h1>Privacy notice</h1>
      <p>
        How {consultation.runBy} uses what you send to &ldquo;{consultation.title}&rdquo;.
      </p>
      <PrivacyNoticeDetails notice={notice} />
      {usesDefaults ? (
        <p>
          Parts this consultation has not set follow the{' '}
          <Link to="/privacy">site&apos;s privacy notice</Link>, which also says what the site keeps
          about your account and how to use your rights.
        </p>
      ) : (
        <p>
          The <Link to="/privacy">site&apos;s privacy notice</Link> says what the site keeps about
          your account and how to use your rights.
        </p>
      )}
      <p>
        <Link to={`/consultations/${consultation.slug}/respond`}>Respond to this consultation</Link>
      </p>
    </div>
  );
}
