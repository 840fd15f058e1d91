import { redirect, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData, useLocation } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { handler, submitForm } from '~/.server/http';
import { getQuestionnaire, saveFinalStep } from '~/.server/responses';
import { questionnaireSteps, stepAfterSaving, stepPosition } from '~/lib/questionnaire-steps';
import { CONSENT_LABELS, FinalStepSchema, OVERALL_MAX } from '~/lib/schemas/responses';
import { CharacterCount } from '~/ui/character-count';
import { ErrorSummary, Radios, type FormFeedback } from '~/ui/form';
import { IdempotencyKeyInput } from '~/ui/idempotency-key';
import { BackLink, NotOpenNotice, Progress } from '~/ui/questionnaire';
import { SubmitButton } from '~/ui/submit-button';
import { CONSENTS } from '~/lib/enums';

export const meta: MetaFunction = () => [
  { title: 'Overall comments and publication – Open Consultation' },
];

export const loader = handler(async ({ db, viewer, params, takeParkedForm }) => ({
  ...(await getQuestionnaire(db, viewer, params.slug!)),
  parked: await takeParkedForm(),
  // A fresh key each time the page is shown: the same page saved twice counts once.
  idempotencyKey: crypto.randomUUID(),
}));

export const action = handler(
  async ({ request, db, viewer, params }) =>
    submitForm(request, FinalStepSchema, async (input) => {
      await saveFinalStep(db, viewer, params.slug!, input);
      return redirect(`/consultations/${params.slug}/respond/check`);
    }),
  // What was typed survives a session that ended: the loader shows it again after sign-in.
  { keepsSignedOutForm: true },
);

const labels = { overallComments: 'Overall comments', consent: 'Publishing your response' };

export default function FinalStep() {
  const {
    consultation: c,
    recommendations,
    response,
    parked,
    idempotencyKey,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const feedback: FormFeedback | undefined =
    actionData ?? (parked ? { values: parked } : undefined);
  const steps = questionnaireSteps(
    c.slug,
    recommendations.map((r) => r.slug),
  );
  const position = stepPosition(steps, `/consultations/${c.slug}/respond/final`);
  const location = useLocation();
  return (
    <div className="narrow">
      <BackLink to={stepAfterSaving(c.slug, location.search, position.previous)} />
      <Progress step={position.step} total={position.total} />
      <h1>Overall comments and publication</h1>
      {c.phase !== 'open' ? (
        <NotOpenNotice consultation={c} />
      ) : (
        <>
          {parked ? (
            <div className="notice" role="status">
              <p>
                You were signed out before this page was saved. We kept what you typed: check it,
                then save.
              </p>
            </div>
          ) : null}
          <ErrorSummary feedback={feedback} labels={labels} />
          <Form method="post" className="form" noValidate>
            <IdempotencyKeyInput value={idempotencyKey} />
            <CharacterCount
              name="overallComments"
              label={`${labels.overallComments} (optional)`}
              hint="Anything about the consultation as a whole, or what it leaves out."
              max={OVERALL_MAX}
              rows={8}
              feedback={feedback}
              defaultValue={response?.overallComments}
            />
            <Radios
              name="consent"
              legend="May we publish what you wrote?"
              hint="Choose one: nothing is chosen for you. Everyone’s answers are counted in the results whatever you choose; this is only about whether the words you wrote are shown publicly, and with your name or without. You can change it until the summary is published."
              feedback={feedback}
              defaultValue={response?.consent ?? undefined}
              options={CONSENTS.map((value) => ({ value, ...CONSENT_LABELS[value] }))}
            />
            <SubmitButton pendingText="Saving…">Save and continue</SubmitButton>
          </Form>
        </>
      )}
    </div>
  );
}
