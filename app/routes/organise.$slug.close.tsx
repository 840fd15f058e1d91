import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { changeConsultationStatus, getClosingSummary } from '~/.server/consultations';
import { handler, submitForm } from '~/.server/http';
import { formatUkDateTime } from '~/lib/dates';
import { CloseConsultationSchema } from '~/lib/schemas/consultations';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ErrorSummary } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';
import { plural } from '~/lib/plural';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Close ${data?.consultation.title ?? 'consultation'} – Open Consultation` },
];

export const loader = handler(async ({ db, viewer, params }) =>
  getClosingSummary(db, params.slug!, viewer),
);

export const action = handler(async ({ request, db, viewer, params, ctx }) =>
  submitForm(request, CloseConsultationSchema, async (input) => {
    await changeConsultationStatus(db, viewer, params.slug!, input, ctx);
    return redirect(`/organise/${params.slug}?saved=${input.intent}`);
  }),
);

export default function CloseConsultation() {
  const {
    consultation: c,
    canClose,
    receivedResponses,
    unsubmittedResponses,
  } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  return (
    <div className="narrow">
      <Breadcrumbs
        items={[
          { to: '/organise', label: 'Organise' },
          { to: `/organise/${c.slug}`, label: c.title },
        ]}
      />
      <h1>
        <span className="caption">{c.title}</span>
        {canClose || c.phase !== 'closed'
          ? 'Close this consultation now?'
          : 'Start analysing the responses?'}
      </h1>
      <ErrorSummary feedback={feedback} labels={{}} />
      {canClose ? (
        <>
          <p>
            It is due to close
            {c.closesAt ? ` on ${formatUkDateTime(new Date(c.closesAt))}` : ' at its closing date'}.
            Closing it now:
          </p>
          <ul>
            <li>
              stops responses at once: nobody can start, change or submit a response any more;
            </li>
            <li>
              keeps the{' '}
              {plural(receivedResponses, 'response already received', 'responses already received')}{' '}
              exactly as submitted;
            </li>
            {unsubmittedResponses > 0 ? (
              <li>
                leaves{' '}
                {plural(
                  unsubmittedResponses,
                  'response that was started or changed but not submitted',
                  'responses that were started or changed but not submitted',
                )}{' '}
                uncounted: those changes will not be received;
              </li>
            ) : null}
            <li>
              locks the text and order of the recommendations; corrections will be made through
              correction notes on the published summary;
            </li>
            <li>records the closing time, shown on the public page. You can reopen it later.</li>
          </ul>
          <Form method="post">
            <input type="hidden" name="version" value={c.version} />
            <div className="button-row">
              <SubmitButton name="intent" value="close" variant="warning" pendingText="Closing…">
                Yes, close the consultation now
              </SubmitButton>
              <Link to={`/organise/${c.slug}`}>Cancel: keep it open</Link>
            </div>
          </Form>
        </>
      ) : c.phase === 'closed' ? (
        <>
          <p>
            This consultation is closed. When you have read the results and moderated what is left,
            start analysing its responses:
          </p>
          <ul>
            <li>what respondents answered is settled: the consultation can no longer reopen;</li>
            <li>
              the public page says the responses are being analysed, and what happens next: the
              summary;
            </li>
            <li>you can then publish the summary you write in the summary editor.</li>
          </ul>
          <Form method="post">
            <input type="hidden" name="version" value={c.version} />
            <div className="button-row">
              <SubmitButton name="intent" value="analyse" pendingText="Starting…">
                Start analysing the responses
              </SubmitButton>
              <Link to={`/organise/${c.slug}`}>Cancel</Link>
            </div>
          </Form>
        </>
      ) : (
        <>
          <p>
            {c.phase === 'analysing'
              ? 'Its responses are being analysed: write the summary, then publish it.'
              : c.phase === 'published'
                ? 'Its summary is published.'
                : 'This consultation is not open, so there is nothing to close.'}
          </p>
          <p>
            {c.phase === 'analysing' || c.phase === 'published' ? (
              <Link to={`/organise/${c.slug}/summary`}>Summary editor</Link>
            ) : (
              <Link to={`/organise/${c.slug}`}>Back to the consultation</Link>
            )}
          </p>
        </>
      )}
    </div>
  );
}
