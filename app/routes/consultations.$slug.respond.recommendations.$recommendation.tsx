import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { notFound } from '~/.server/errors';
import { handler, submitForm } from '~/.server/http';
import { getQuestionnaire, saveAnswer } from '~/.server/responses';
import { stepAfterSaving, type QuestionStepHandle } from '~/lib/questionnaire-steps';
import { useRespondOutline } from '~/lib/respond-outline';
import { AnswerSchema } from '~/lib/schemas/responses';
import {
  CHANGE_MIND_MAX,
  IMPORTANCE_LABELS,
  REASONS_MAX,
  STANCE_LABELS,
} from '~/lib/forms/responses';
import { CharacterCount } from '~/ui/character-count';
import { Radios } from '~/ui/form';
import { QuestionStepForm, stepFeedback } from '~/ui/question-step';
import { STANCES } from '~/lib/enums';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${data.recommendation.number}. ${data.recommendation.title} – Your response`
      : 'Your response',
  },
];

export const handle: QuestionStepHandle = { questionStep: 'recommendation' };

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
  const { recommendation: r, parked, idempotencyKey } = useLoaderData<typeof loader>();
  const { consultation: c, recommendations } = useRespondOutline();
  const feedback = stepFeedback(useActionData<typeof action>(), parked);
  const answer = r.answer;
  return (
    <>
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
      <QuestionStepForm
        consultation={c}
        parked={parked}
        feedback={feedback}
        labels={labels}
        idempotencyKey={idempotencyKey}
        after={
          <p>
            <Link to={`/consultations/${c.slug}/respond`}>
              Save nothing and return to all steps
            </Link>
          </p>
        }
      >
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
      </QuestionStepForm>
    </>
  );
}
