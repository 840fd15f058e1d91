import { Link } from '@remix-run/react';
import {
  LIFECYCLE_STEPS,
  LIFECYCLE_STEP_LABELS,
  currentStep,
  stepDate,
  whatHappensNext,
  type LifecycleFacts,
} from '~/lib/lifecycle';

/**
 * Where a consultation is in its life, as four steps with their dates, and what happens next.
 * The current step is said in words (and to screen readers), not by colour alone.
 */
export function Lifecycle({ facts, slug }: { facts: LifecycleFacts; slug: string }) {
  const current = currentStep(facts.phase);
  const at = current ? LIFECYCLE_STEPS.indexOf(current) : -1;
  return (
    <section className="lifecycle" aria-labelledby="lifecycle-title">
      <h2 id="lifecycle-title">Where this consultation is</h2>
      <ol className="lifecycle__steps">
        {LIFECYCLE_STEPS.map((step, i) => {
          const state = i < at ? 'done' : i === at ? 'current' : 'next';
          const date = stepDate(step, facts);
          return (
            <li
              key={step}
              className={`lifecycle__step lifecycle__step--${state}`}
              aria-current={state === 'current' ? 'step' : undefined}
            >
              <span className="lifecycle__label">{LIFECYCLE_STEP_LABELS[step]}</span>
              <span className="lifecycle__date">
                {state === 'current' ? 'Now' : state === 'done' ? 'Done' : 'Still to come'}
                {date ? ` · ${date}` : ''}
              </span>
            </li>
          );
        })}
      </ol>
      <p className="lifecycle__next">
        {whatHappensNext(facts)}
        {facts.publishedSummary ? (
          <>
            {' '}
            <Link to={`/consultations/${slug}/summary`}>Read the summary</Link>
          </>
        ) : null}
      </p>
    </section>
  );
}
