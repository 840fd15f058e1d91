import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { handler, submitForm } from '~/.server/http';
import { getWithdrawal, withdrawResponse } from '~/.server/responses';
import { formatUkDateTime } from '~/lib/dates';
import { WithdrawResponseSchema } from '~/lib/schemas/responses';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ErrorSummary } from '~/ui/form';
import { IdempotencyKeyInput } from '~/ui/idempotency-key';
import { SubmitButton } from '~/ui/submit-button';
import { plural } from '~/lib/plural';

export const meta: MetaFunction = () => [{ title: 'Withdraw your response – Open Consultation' }];

export const loader = handler(async ({ db, viewer, params }) => ({
  ...(await getWithdrawal(db, viewer, params.slug!)),
  // A fresh key each time the page is shown: the same confirmation sent twice withdraws once.
  idempotencyKey: crypto.randomUUID(),
}));

export const action = handler(async ({ request, db, viewer, params, ctx }) =>
  submitForm(request, WithdrawResponseSchema, async (input) => {
    const { outcome } = await withdrawResponse(db, viewer, params.slug!, input.idempotencyKey, ctx);
    const notice = outcome === 'withdrawn' ? 'withdrawn' : 'already-withdrawn';
    return redirect(`/account/responses?notice=${notice}`);
  }),
);

export default function WithdrawResponse() {
  const page = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const c = page.consultation;
  const respondAgain = `/consultations/${c.slug}/respond`;
  return (
    <div className="narrow">
      <Breadcrumbs
        items={[
          { to: '/account/responses', label: 'Your responses' },
          { to: `/consultations/${c.slug}`, label: c.title },
        ]}
      />
      <h1>
        <span className="caption">{c.title}</span>
        Withdraw your response
      </h1>
      <ErrorSummary feedback={feedback} labels={{}} />
      {!page.response ? (
        <>
          <p>
            {page.withdrawnAt
              ? `Your response was withdrawn on ${formatUkDateTime(new Date(page.withdrawnAt))}. There is nothing more to withdraw.`
              : 'You have no submitted response to this consultation, so there is nothing to withdraw.'}
          </p>
          <p>
            {c.phase === 'open' ? (
              <>
                <Link to={respondAgain}>Respond to this consultation</Link> ·{' '}
              </>
            ) : null}
            <Link to="/account/responses">See all your responses</Link>
          </p>
        </>
      ) : page.closedMessage ? (
        <>
          <p>{page.closedMessage}</p>
          <ul>
            <li>
              <Link to="/account/delete">Delete your account</Link> (you will see what happens to
              each of your responses first).
            </li>
            <li>
              {page.contactEmail ? (
                <>
                  Contact the organisers at{' '}
                  <a href={`mailto:${page.contactEmail}`}>{page.contactEmail}</a>, quoting your
                  reference <strong>{page.response.reference}</strong>.
                </>
              ) : (
                <>
                  Contact the organisers as their{' '}
                  <Link to={`/consultations/${c.slug}/privacy`}>privacy notice</Link> says, quoting
                  your reference <strong>{page.response.reference}</strong>.
                </>
              )}
            </li>
          </ul>
          <p>
            <Link to={`${respondAgain}/receipt`}>Back to your receipt</Link>
          </p>
        </>
      ) : (
        <>
          <p>
            You are about to withdraw your response, reference{' '}
            <strong>{page.response.reference}</strong>. Withdrawing it:
          </p>
          <ul>
            <li>
              deletes your answers, your overall comments and every earlier version of the response,
              for good;
            </li>
            <li>
              removes it from the results and from what the organisers read: it no longer counts;
            </li>
            <li>
              leaves your comments and endorsements as they are: they are separate from your
              response, and you remove them on each recommendation&rsquo;s page;
            </li>
            <li>
              does not stop you responding again: you can start a new response
              {c.closesAt ? ` until ${formatUkDateTime(new Date(c.closesAt))}` : ''}.
            </li>
          </ul>
          {page.discussion.length ? (
            <>
              <p>To remove your comments or endorsements too, go to each recommendation:</p>
              <ul>
                {page.discussion.map((r) => (
                  <li key={r.slug}>
                    <Link to={`/consultations/${c.slug}/recommendations/${r.slug}`}>
                      {r.number}. {r.title}
                    </Link>
                    :{' '}
                    {[
                      r.comments ? plural(r.comments, 'comment', 'comments') : null,
                      r.endorsements ? 'your endorsement' : null,
                    ]
                      .filter(Boolean)
                      .join(' and ')}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <p>We will email you to confirm.</p>
          <Form method="post">
            <IdempotencyKeyInput value={page.idempotencyKey} />
            <div className="button-row">
              <SubmitButton variant="warning" pendingText="Withdrawing…">
                Yes, withdraw my response
              </SubmitButton>
              <Link to={`${respondAgain}/receipt`}>Cancel: keep my response</Link>
            </div>
          </Form>
        </>
      )}
    </div>
  );
}
