import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useLocation } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { notFound } from '~/.server/errors';
import { handler, submitForm } from '~/.server/http';
import { getQuestionnaire, saveAnswer } from '~/.server/responses';
import { questionnaireSteps, stepAfterSaving, stepPosition } from '~/lib/questionnaire-steps';
import {
  AnswerSchema,
  CHANGE_MIND_MAX,
  IMPORTANCE_LABELS,
  REASONS_MAX,
  STANCE_LABELS,
} from '~/lib/schemas/responses';
import { CharacterCount } from '~/ui/character-count';
import { ErrorSummary, Radios, type FormFeedback } from '~/ui/form';
import { IdempotencyKeyInput } from '~/ui/idempotency-key';
import { BackLink, NotOpenNotice, Progress } from '~/ui/questionnaire';
import { SubmitButton } from '~/ui/submit-button';
import { STANCES } from '~/lib/enums';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${data.recommendation.number}. ${data.recommendation.title} – Your response`
      : 'Your response',
  },
];

export const loader = handler(async ({ db, viewer, params, takeParkedForm }) => {
  const questionnaire = await getQuestionnaire(db, viewer, params.slug!);
  const recommendation = questionnaire.recommendations.find(
    (r) => r.slug === params.recommendation,
  );
  if (!recommendation) throw notFound('recommendation');
  return {
    ...questionnaire,
    recommendation,
    parked: await takeParkedForm(),
    // A fresh key each time the page is shown: the same page saved twice counts once.
    idempotencyKey: crypto.randomUUID(),
  };
});

export const action = handler(
  async ({ request, db, viewer, params }) =>
    submitForm(request, AnswerSchema, async (input) => {
      const { next } = await saveAnswer(db, viewer, params.slug!, params.recommendation!, input);
      return redirect(stepAfterSaving(params.slug!, request.url, next));
    }),
  // What was typed survives a session that ended: the loader shows it again after sign-in.
  { keepsSignedOutForm: true },
);

const labels = {
  stance: 'Your view',
  importance: 'Importance',
  reasons: 'Your reasons and evidence',
  changeMind: 'What would change your mind?',
};

export default function AnswerStep() {
  const {
    consultation: c,
    recommendations,
    recommendation: r,
    parked,
    idempotencyKey,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const feedback: FormFeedback | undefined =
    actionData ?? (parked ? { values: parked } : undefined);
  const steps = questionnaireSteps(
    c.slug,
    recommendations.map((x) => x.slug),
  );
  const position = stepPosition(
    steps,
    `/consultations/${c.slug}/respond/recommendations/${r.slug}`,
  );
  const answer = r.answer;
  const location = useLocation();
  return (
    <div className="narrow">
      <BackLink to={stepAfterSaving(c.slug, location.search, position.previous)} />
      <Progress step={position.step} total={position.total} />
      <h1>
        <span className="caption">
          {/* Counted among the recommendations open for answers, so a placeholder is skipped. */}
          Recommendation {recommendations.findIndex((x) => x.slug === r.slug) + 1} of{' '}
          {recommendations.length}
        </span>
        {r.title}
      </h1>
      <div className="answer-context">
        <p>{r.summary}</p>
        <p>
          <Link to={`/consultations/${c.slug}/recommendations/${r.slug}`}>
            Read the full rationale for this recommendation
          </Link>
        </p>
      </div>
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
            <Radios
              name="stance"
              legend={`How far do you support recommendation ${r.number}?`}
              hint="Leave this page blank to skip this recommendation."
              feedback={feedback}
              defaultValue={answer?.stance ?? undefined}
              options={STANCES.map((value) => ({ value, label: STANCE_LABELS[value] }))}
            />
            <Radios
              name="importance"
              legend="How important is this recommendation to you? (optional)"
              hint="1 is not important, 5 is extremely important."
              inline
              feedback={feedback}
              defaultValue={answer?.importance ? String(answer.importance) : undefined}
              options={[1, 2, 3, 4, 5].map((value) => ({
                value: String(value),
                label: String(value),
                ariaLabel: `${value}: ${IMPORTANCE_LABELS[value]}`,
              }))}
            />
            <CharacterCount
              name="reasons"
              label={`${labels.reasons} (optional)`}
              hint="Tell us why, with any evidence or examples from your own experience."
              max={REASONS_MAX}
              rows={8}
              feedback={feedback}
              defaultValue={answer?.reasons}
            />
            <CharacterCount
              name="changeMind"
              label={`${labels.changeMind} (optional)`}
              max={CHANGE_MIND_MAX}
              rows={3}
              feedback={feedback}
              defaultValue={answer?.changeMind}
            />
            <SubmitButton pendingText="Saving…">Save and continue</SubmitButton>
          </Form>
          <p>
            <Link to={`/consultations/${c.slug}/respond`}>
              Save nothing and return to all steps
            </Link>
          </p>
        </>
      )}
    </div>
  );
}
