import type { MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { handler } from '~/.server/http';
import { getConsultationNotice } from '~/.server/privacy';
import { getQuestionnaire } from '~/.server/responses';
import { DELETION_POLICY_LABELS, formatMonths } from '~/lib/privacy';
import { formatUkDateTime } from '~/lib/dates';
import { STANCE_LABELS } from '~/lib/forms/responses';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { NotOpenNotice } from '~/ui/questionnaire';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Respond: ${data?.consultation.title ?? 'consultation'} – Open Consultation` },
];

export const loader = handler(async ({ db, viewer, params }) => {
  const questionnaire = await getQuestionnaire(db, viewer, params.slug!);
  // Told before anyone answers: who gets the response, what is published, how long it is kept.
  const { notice } = await getConsultationNotice(db, params.slug!);
  return { ...questionnaire, notice };
});

export default function RespondStart() {
  const { consultation: c, response, recommendations, notice } = useLoaderData<typeof loader>();
  const base = `/consultations/${c.slug}/respond`;
  const answered = recommendations.filter((r) => r.answer).length;
  const open = c.phase === 'open';
  const firstUnanswered = recommendations.find((r) => !r.answer);
  const next = !response
    ? `${base}/about-you`
    : firstUnanswered
      ? `${base}/recommendations/${firstUnanswered.slug}`
      : `${base}/check`;
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/consultations', label: 'Consultations' },
          { to: `/consultations/${c.slug}`, label: c.title },
        ]}
      />
      <h1>
        <span className="caption">{c.title}</span>
        Your response
      </h1>
      {response?.status === 'submitted' ? (
        <div className="notice notice--success">
          <p>
            You submitted your response on {formatUkDateTime(response.lastSubmittedAt!)}. Your
            reference is <strong>{response.reference}</strong>.{' '}
            {open ? 'You can change it until the consultation closes.' : null}
          </p>
          {response.hasUnsubmittedChanges && open ? (
            <p>
              <strong>You have changes that are not submitted yet.</strong> Check your answers and
              submit them, or they will not count.
            </p>
          ) : null}
          <p>
            <Link to={`${base}/receipt`}>View your receipt</Link>
          </p>
        </div>
      ) : null}
      {!open ? <NotOpenNotice consultation={c} /> : null}
      {open ? (
        <>
          <p className="lead">
            Give your view on each recommendation: how far you support it, how important it is and
            why. You can answer as many as you like, save as you go and come back later, from any
            device.
          </p>
          <p>
            {answered} of {recommendations.length} recommendations answered. The consultation closes
            on {formatUkDateTime(c.closesAt!)}.
          </p>
          <h2>Steps</h2>
          <ol className="task-list">
            <li>
              <Link to={`${base}/about-you`}>About you</Link>
              <span className="task-list__status">{response ? 'Completed' : 'Not started'}</span>
            </li>
            {recommendations.map((r) => (
              <li key={r.id}>
                <Link to={`${base}/recommendations/${r.slug}`}>
                  {r.number}. {r.title}
                </Link>
                <span className="task-list__status">
                  {r.answer?.stance ? STANCE_LABELS[r.answer.stance] : 'Not answered'}
                </span>
              </li>
            ))}
            <li>
              <Link to={`${base}/final`}>Overall comments and publishing choice</Link>
              <span className="task-list__status">
                {response?.finalStepSaved ? 'Completed' : 'Not started'}
              </span>
            </li>
            <li>
              <Link to={`${base}/check`}>Check your answers and submit</Link>
              <span className="task-list__status">
                {response?.status === 'submitted' && !response.hasUnsubmittedChanges
                  ? 'Submitted'
                  : 'Not submitted'}
              </span>
            </li>
          </ol>
          <h2>How your response is used</h2>
          <ul>
            <li>It goes to {notice.controller}.</li>
            <li>{notice.published}</li>
            <li>
              It is kept for {formatMonths(notice.retentionMonths)} after the consultation closes,
              then anonymised.
            </li>
            <li>If you delete your account: {DELETION_POLICY_LABELS[notice.deletionPolicy]}.</li>
          </ul>
          <p>
            <Link to={`/consultations/${c.slug}/privacy`}>
              Read the privacy notice for this consultation
            </Link>
          </p>
          <p>
            <Link to={next} className="button">
              {response ? 'Continue' : 'Start now'}
            </Link>
          </p>
        </>
      ) : null}
    </>
  );
}
