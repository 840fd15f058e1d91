import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { handler, submitForm } from '~/.server/http';
import { getQuestionnaire, submitResponse } from '~/.server/responses';
import { SEGMENT_LABELS } from '~/lib/forms/accounts';
import { SubmitResponseSchema } from '~/lib/schemas/responses';
import {
  CONSENT_LABELS,
  IMPORTANCE_LABELS,
  STAGE_LABELS,
  STANCE_LABELS,
} from '~/lib/forms/responses';
import { changeFromCheck } from '~/lib/questionnaire-steps';
import { ErrorSummary } from '~/ui/form';
import { BackLink, NotOpenNotice, SummaryList } from '~/ui/questionnaire';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction = () => [{ title: 'Check your answers – Open Consultation' }];

export const loader = handler(async ({ db, viewer, params }) => ({
  ...(await getQuestionnaire(db, viewer, params.slug!)),
  // A fresh key each time the page is shown: the same page submitted twice counts once.
  submissionKey: crypto.randomUUID(),
}));

export const action = handler(async ({ request, db, viewer, params, ctx }) =>
  submitForm(request, SubmitResponseSchema, async (input) => {
    const result = await submitResponse(db, viewer, params.slug!, input.submissionKey, ctx);
    return redirect(
      `/consultations/${params.slug}/respond/receipt${result.unchanged ? '?unchanged=1' : ''}`,
    );
  }),
);

export default function CheckAnswers() {
  const {
    consultation: c,
    profile,
    recommendations,
    response,
    submissionKey,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  // A missing publishing choice is listed once, as a link to where it is made.
  const feedback =
    actionData && 'fieldErrors' in actionData && actionData.fieldErrors?.consent
      ? { ...actionData, formError: null }
      : actionData;
  const base = `/consultations/${c.slug}/respond`;
  const answered = recommendations.filter((r) => r.answer).length;
  const resubmission = response?.status === 'submitted';
  return (
    <>
      <BackLink to={`${base}/final`} />
      <h1>Check your answers before {resubmission ? 'submitting your changes' : 'submitting'}</h1>
      {c.phase !== 'open' ? <NotOpenNotice consultation={c} /> : null}
      <ErrorSummary
        feedback={feedback}
        labels={{ consent: 'Publishing' }}
        anchors={{ consent: 'consent-missing' }}
      />

      <h2>About you</h2>
      <SummaryList
        rows={[
          {
            key: 'segment',
            label: 'You are',
            value:
              profile.segment === 'other'
                ? `Other: ${profile.segment_other}`
                : SEGMENT_LABELS[profile.segment],
            changeTo: changeFromCheck(`${base}/about-you`),
            changeLabel: 'who you are',
          },
          {
            key: 'stage',
            label: 'Stage or type',
            value: profile.organisation_stage
              ? STAGE_LABELS[profile.organisation_stage]
              : 'Not given',
            changeTo: changeFromCheck(`${base}/about-you`),
            changeLabel: 'stage or type',
          },
          {
            key: 'organisation',
            label: 'Organisation',
            value: profile.organisation ?? 'Not given',
            changeTo: changeFromCheck(`${base}/about-you`),
            changeLabel: 'organisation',
          },
          {
            key: 'region',
            label: 'Based in',
            value: profile.region ?? 'Not given',
            changeTo: changeFromCheck(`${base}/about-you`),
            changeLabel: 'region',
          },
        ]}
      />

      <h2>
        Your views ({answered} of {recommendations.length} answered)
      </h2>
      {recommendations.map((r) => (
        <section key={r.id} aria-labelledby={`answer-${r.number}`}>
          <h3 id={`answer-${r.number}`}>
            {r.number}. {r.title}
          </h3>
          <SummaryList
            rows={
              r.answer
                ? [
                    {
                      key: 'stance',
                      label: 'Your view',
                      value: r.answer.stance ? STANCE_LABELS[r.answer.stance] : 'Not answered',
                      changeTo: changeFromCheck(`${base}/recommendations/${r.slug}`),
                      changeLabel: `your answer to recommendation ${r.number}`,
                    },
                    {
                      key: 'importance',
                      label: 'Importance',
                      value: r.answer.importance
                        ? `${r.answer.importance}: ${IMPORTANCE_LABELS[r.answer.importance]}`
                        : 'Not given',
                    },
                    { key: 'reasons', label: 'Reasons', value: r.answer.reasons ?? 'None given' },
                    {
                      key: 'change',
                      label: 'What would change your mind',
                      value: r.answer.changeMind ?? 'None given',
                    },
                  ]
                : [
                    {
                      key: 'stance',
                      label: 'Your view',
                      value: 'Not answered',
                      changeTo: changeFromCheck(`${base}/recommendations/${r.slug}`),
                      changeLabel: `your answer to recommendation ${r.number}`,
                    },
                  ]
            }
          />
        </section>
      ))}

      <h2>Overall</h2>
      <SummaryList
        rows={[
          {
            key: 'comments',
            label: 'Overall comments',
            value: response?.overallComments || 'None given',
            changeTo: changeFromCheck(`${base}/final`),
            changeLabel: 'overall comments',
          },
          {
            key: 'consent',
            label: 'Publishing',
            value: response?.consent ? (
              CONSENT_LABELS[response.consent].label
            ) : (
              <Link id="consent-missing" to={changeFromCheck(`${base}/final`)}>
                Not chosen yet: choose how your response may be published
              </Link>
            ),
            changeTo: changeFromCheck(`${base}/final`),
            changeLabel: 'how your response may be published',
          },
        ]}
      />

      {c.phase === 'open' ? (
        <>
          <h2>Now send your response</h2>
          <p className="narrow">
            By submitting you confirm these are your own views. You can change your response until
            the consultation closes.
          </p>
          {answered === 0 ? (
            <p className="notice">
              You have not answered any recommendation yet.{' '}
              <Link to={base}>Go back to the steps</Link>.
            </p>
          ) : null}
          <Form method="post">
            <input type="hidden" name="submissionKey" value={submissionKey} />
            <SubmitButton pendingText="Submitting…">
              {resubmission ? 'Submit changes' : 'Submit response'}
            </SubmitButton>
          </Form>
        </>
      ) : null}
    </>
  );
}
