import { Link } from '@remix-run/react';
import type { ReactNode } from 'react';
import { Breadcrumbs } from './breadcrumbs';
import { evidenceFieldName, evidenceOrder } from '~/lib/forms/summaries';

// Pieces of the organisers' summary editor: the results a part starts from, the evidence
// pickers, the comparison shown after a conflict and the checklist of the consultation's end.

type Candidate = { ref: string; label: ReactNode };

function ErrorList({ id, errors }: { id: string; errors: string[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <div className="field__error" id={id}>
      <span className="visually-hidden">Error: </span>
      <ul>
        {errors.map((message) => (
          <li key={message}>{message}</li>
        ))}
      </ul>
    </div>
  );
}

/** A fieldset of evidence boxes with its legend, hint and errors, linked from the error summary. */
function EvidenceFieldset({
  id,
  legend,
  hint,
  errors,
  children,
}: {
  id: string;
  legend: string;
  hint: ReactNode;
  errors: string[] | undefined;
  children: ReactNode;
}) {
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className={`field${errorId ? ' field--error' : ''}`}>
      <fieldset
        className="fieldset"
        id={id}
        tabIndex={-1}
        aria-describedby={[`${id}-hint`, errorId].filter(Boolean).join(' ')}
      >
        <legend className="field__label">{legend}</legend>
        <div className="field__hint" id={`${id}-hint`}>
          {hint}
        </div>
        <ErrorList id={`${id}-error`} errors={errors} />
        {children}
      </fieldset>
    </div>
  );
}

/**
 * Figures to cite, a checkbox each (see `evidenceFieldName`), grouped by who they count;
 * `chosen` is what the organiser last had, saved or just sent.
 */
export function FigureChoices({
  legend,
  hint,
  groups,
  chosen,
  errors,
}: {
  legend: string;
  hint: ReactNode;
  groups: { label: string; figures: Candidate[] }[];
  chosen: readonly string[];
  errors: string[] | undefined;
}) {
  const id = 'field-citations';
  let position = 0;
  return (
    <EvidenceFieldset id={id} legend={legend} hint={hint} errors={errors}>
      {groups.length === 0 ? <p>No figure can be cited yet.</p> : null}
      <div className="figure-groups">
        {groups.map((group) => (
          <fieldset className="fieldset figure-group" key={group.label}>
            <legend className="figure-group__legend">{group.label}</legend>
            {group.figures.map((c) => {
              const index = position++;
              return (
                <div className="checkbox" key={c.ref}>
                  <input
                    type="checkbox"
                    id={`${id}-${index}`}
                    name={evidenceFieldName('cite', c.ref)}
                    value={evidenceOrder(chosen, c.ref, index)}
                    defaultChecked={chosen.includes(c.ref)}
                  />
                  <label htmlFor={`${id}-${index}`}>{c.label}</label>
                </div>
              );
            })}
          </fieldset>
        ))}
      </div>
    </EvidenceFieldset>
  );
}

export type QuoteCandidate = {
  ref: string;
  source: 'reasons' | 'comment';
  text: string;
  attribution: string;
  stanceLabel: string | null;
};

/**
 * Reasons and comments that may be used, each as it will appear (text and attribution), with
 * a box to quote it under "you said" and one to cite it as evidence.
 */
export function QuoteChoices({
  candidates,
  quotes,
  citations,
  citationOffset,
  errors,
}: {
  candidates: QuoteCandidate[];
  quotes: readonly string[];
  citations: readonly string[];
  /** How many citation boxes come before these on the page. */
  citationOffset: number;
  errors: string[] | undefined;
}) {
  const id = 'field-quotes';
  return (
    <EvidenceFieldset
      id={id}
      legend="Reasons and comments to quote or cite"
      hint="Only published reasons whose authors agreed to be quoted, and published comments. “Shown as” is the attribution readers will see."
      errors={errors}
    >
      {candidates.length === 0 ? (
        <p>No reasons or comments can be quoted on this recommendation yet.</p>
      ) : null}
      <ul className="quote-choices">
        {candidates.map((q, index) => {
          const boxId = `${id}-${index}`;
          const at = citations.indexOf(q.ref);
          return (
            <li className="quote-choice" key={q.ref}>
              <blockquote className="quote-choice__text" id={`${boxId}-text`}>
                <p>“{q.text}”</p>
              </blockquote>
              <p className="quote-choice__meta" id={`${boxId}-meta`}>
                Shown as: <strong>{q.attribution}</strong>
                {q.stanceLabel ? ` · ${q.stanceLabel}` : ''} ·{' '}
                {q.source === 'comment' ? 'a public comment' : 'their reasons'}
              </p>
              <div className="quote-choice__boxes">
                <div className="checkbox">
                  <input
                    type="checkbox"
                    id={`${boxId}-quote`}
                    name={evidenceFieldName('quote', q.ref)}
                    value={evidenceOrder(quotes, q.ref, index)}
                    defaultChecked={quotes.includes(q.ref)}
                    aria-describedby={`${boxId}-text ${boxId}-meta`}
                  />
                  <label htmlFor={`${boxId}-quote`}>Quote it in the summary</label>
                </div>
                <div className="checkbox">
                  <input
                    type="checkbox"
                    id={`${boxId}-cite`}
                    name={evidenceFieldName('cite', q.ref)}
                    value={evidenceOrder(citations, q.ref, citationOffset + index)}
                    defaultChecked={at >= 0}
                    aria-describedby={`${boxId}-text ${boxId}-meta`}
                  />
                  <label htmlFor={`${boxId}-cite`}>
                    Cite it as evidence{at >= 0 ? ` [${at + 1}]` : ''}
                  </label>
                </div>
              </div>
            </li>
          );
        })}
      </ul>
    </EvidenceFieldset>
  );
}

/**
 * After a conflict: what is saved now (another organiser's save), beside the organiser's own
 * text, which the form kept.
 */
export function SavedByOthers({
  label,
  saved,
  byYou = false,
}: {
  label: string;
  saved: string | string[];
  /** The newer save was the organiser's own, from another tab or window. */
  byYou?: boolean;
}) {
  return (
    <div className="saved-by-others" role="note">
      <p className="saved-by-others__title">
        {byYou ? 'Saved from your other tab' : 'Saved by the other organiser'} as “{label}”:
      </p>
      {Array.isArray(saved) ? (
        <ul className="saved-by-others__text saved-by-others__list">
          {saved.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : (
        <p className="saved-by-others__text">{saved}</p>
      )}
    </div>
  );
}

export type ChecklistStepView = {
  id: string;
  label: string;
  done: boolean;
  detail: string;
  link: { href: string; text: string } | null;
};

/** From closing to a published summary: each step, done or not, and what is missing. */
export function LifecycleChecklist({ steps }: { steps: ChecklistStepView[] }) {
  return (
    <ol className="checklist">
      {steps.map((step) => (
        <li key={step.id} className={`checklist__step${step.done ? ' checklist__step--done' : ''}`}>
          <div className="checklist__head">
            <span className="checklist__label">{step.label}</span>
            <strong className={`tag ${step.done ? 'tag--open' : 'tag--draft'}`}>
              {step.done ? 'Done' : 'To do'}
            </strong>
          </div>
          <p className="checklist__detail">{step.detail}</p>
          {step.link ? (
            <p className="checklist__link">
              <Link to={step.link.href}>
                {step.link.text}
                {/* The step names a link whose words could stand for another on the page. */}
                {step.link.text !== step.label ? (
                  <span className="visually-hidden"> ({step.label.toLowerCase()})</span>
                ) : null}
              </Link>
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** The way back from a page below the summary editor. */
export function SummaryCrumbs({ consultation }: { consultation: { slug: string; title: string } }) {
  return (
    <Breadcrumbs
      items={[
        { to: '/organise', label: 'Organise' },
        { to: `/organise/${consultation.slug}`, label: consultation.title },
        { to: `/organise/${consultation.slug}/summary`, label: 'Summary' },
      ]}
    />
  );
}
