import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { handler, submitForm } from '~/.server/http';
import { changeConsent, getReceipt } from '~/.server/responses';
import { formatUkDateTime } from '~/lib/dates';
import { ConsentSchema } from '~/lib/schemas/responses';
import { CONSENT_LABELS } from '~/lib/forms/responses';
import { ErrorSummary, Radios } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';
import { CONSENTS } from '~/lib/enums';

export const meta: MetaFunction = () => [{ title: 'Response submitted – Open Consultation' }];

export const loader = handler(async ({ request, db, viewer, params }) => ({
  ...(await getReceipt(db, viewer, params.slug!)),
  unchanged: new URL(request.url).searchParams.get('unchanged') === '1',
}));

export const action = handler(async ({ request, db, viewer, params, ctx }) =>
  submitForm(request, ConsentSchema, async (input) => {
    await changeConsent(db, viewer, params.slug!, input.consent, ctx);
    return redirect(`/consultations/${params.slug}/respond/receipt?consent=saved`);
  }),
);

export default function Receipt() {
  const receipt = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  const c = receipt.consultation;
  const edited = receipt.version > 1;
  return (
    <>
      <div className="confirmation">
        <h1>{edited ? 'Changes submitted' : 'Response submitted'}</h1>
        <p>Your reference</p>
        <p className="confirmation__reference">{receipt.reference}</p>
      </div>
      <div className="narrow">
        <p>
          Thank you for responding to <Link to={`/consultations/${c.slug}`}>{c.title}</Link>.{' '}
          {edited
            ? `This is version ${receipt.version} of your response, submitted ${formatUkDateTime(receipt.lastSubmittedAt)}. It replaces the earlier versions, which are kept on record.`
            : `We received it on ${formatUkDateTime(receipt.firstSubmittedAt)}.`}
        </p>
        {receipt.unchanged ? (
          <p className="notice" role="status">
            Nothing had changed since version {receipt.version}, so no new version was saved.
          </p>
        ) : null}
        <p>Keep your reference: quote it if you contact the organisers about your response.</p>
        {receipt.hasUnsubmittedChanges ? (
          <p className="notice">
            You have changes that are not submitted yet.{' '}
            <Link to={`/consultations/${c.slug}/respond/check`}>Check and submit them</Link>.
          </p>
        ) : null}

        <h2>What happens next</h2>
        <p>
          The organisers will read every response. When the consultation closes, the results and a
          summary of what people said will be published on this site.
        </p>
        {c.phase === 'open' && c.closesAt ? (
          <p>
            You can <Link to={`/consultations/${c.slug}/respond`}>change your response</Link> until{' '}
            {formatUkDateTime(c.closesAt)}.
          </p>
        ) : null}
        {c.phase === 'open' ? (
          <p>
            If you no longer want it counted, you can{' '}
            <Link to={`/consultations/${c.slug}/respond/withdraw`}>withdraw this response</Link>.
          </p>
        ) : null}

        <h2 id="publishing">How your response may be published</h2>
        {c.summaryPublished ? (
          <p>
            {CONSENT_LABELS[receipt.consent].label}. The summary has been published, so this can no
            longer change.
          </p>
        ) : (
          <>
            <ErrorSummary feedback={feedback} labels={{ consent: 'Publishing' }} />
            <Form method="post" className="form" noValidate>
              <Radios
                name="consent"
                legend="Your choice"
                hint="You can change this until the organisers publish their summary."
                feedback={feedback}
                defaultValue={receipt.consent}
                options={CONSENTS.map((value) => ({ value, ...CONSENT_LABELS[value] }))}
              />
              <SubmitButton variant="secondary" pendingText="Saving…">
                Save publishing choice
              </SubmitButton>
            </Form>
          </>
        )}
        <p>
          <Link to="/account/responses">See all your responses</Link>
        </p>
      </div>
    </>
  );
}
