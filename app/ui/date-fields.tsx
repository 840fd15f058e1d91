import { PART_SUFFIXES, type DateParts } from '~/lib/date-parts';
import { fieldId, type FormFeedback } from './form';

const BOXES: { suffix: (typeof PART_SUFFIXES)[number]; key: keyof DateParts; label: string }[] = [
  { suffix: 'Day', key: 'day', label: 'Day' },
  { suffix: 'Month', key: 'month', label: 'Month' },
  { suffix: 'Year', key: 'year', label: 'Year' },
  { suffix: 'Time', key: 'time', label: 'Time' },
];

/**
 * A date typed as day, month and year boxes, and a time box when `withTime` (see
 * `lib/date-parts.ts` for why not the browser's date picker). The form sends `<name>Day`,
 * `<name>Month`, `<name>Year` (and `<name>Time`); the schema reads them with `withDateParts`.
 */
export function DateFields({
  name,
  legend,
  hint,
  feedback,
  defaultValue,
  withTime = false,
}: {
  name: string;
  legend: string;
  hint?: string;
  feedback?: FormFeedback | undefined;
  defaultValue: DateParts;
  withTime?: boolean;
}) {
  const errors = feedback?.fieldErrors?.[name];
  const id = fieldId(name);
  const hintId = `${id}-hint`;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const values = feedback?.values;
  // After a refused post, show exactly what was typed, box by box.
  const typed = !!values && PART_SUFFIXES.some((suffix) => `${name}${suffix}` in values);
  const boxes = withTime ? BOXES : BOXES.filter((b) => b.key !== 'time');
  const example = withTime ? 'For example, 27 3 2026 and 17:00 or 5pm.' : 'For example, 27 3 2026.';
  return (
    <div className={`field${errorId ? ' field--error' : ''}`}>
      <fieldset
        className="fieldset"
        role="group"
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ')}
      >
        <legend className="field__label">{legend}</legend>
        <div className="field__hint" id={hintId}>
          {hint ? `${hint} ` : null}
          {example}
        </div>
        {errorId ? (
          <p className="field__error" id={errorId}>
            <span className="visually-hidden">Error: </span>
            {errors![0]}
          </p>
        ) : null}
        <div className="date-input">
          {boxes.map((box, index) => {
            const boxId = index === 0 ? id : `${id}-${box.key}`;
            return (
              <div className={`date-input__item date-input__item--${box.key}`} key={box.key}>
                <label className="date-input__label" htmlFor={boxId}>
                  {box.label}
                </label>
                <input
                  className="input date-input__input"
                  id={boxId}
                  name={`${name}${box.suffix}`}
                  type="text"
                  inputMode={box.key === 'time' ? 'text' : 'numeric'}
                  spellCheck={false}
                  autoComplete="off"
                  maxLength={box.key === 'time' ? 8 : box.key === 'year' ? 4 : 2}
                  defaultValue={
                    typed ? (values[`${name}${box.suffix}`] ?? '') : defaultValue[box.key]
                  }
                  aria-invalid={errorId ? true : undefined}
                />
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}
