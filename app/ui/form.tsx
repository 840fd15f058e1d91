import { useEffect, useRef, type ReactNode } from 'react';

export type FormFeedback = {
  formError?: string | null;
  formErrorLink?: { href: string; text: string } | null;
  fieldErrors?: Record<string, string[] | undefined>;
  values?: Record<string, string>;
};

export function fieldId(name: string) {
  return `field-${name}`;
}

/**
 * Lists every problem at the top of the form, each linking to its field, in the order the fields
 * appear (the order of `labels`); focused on arrival.
 */
export function ErrorSummary({
  feedback,
  labels,
  anchors = {},
  hrefs = {},
}: {
  feedback: FormFeedback | undefined;
  /** Each field's label, in page order. */
  labels: Record<string, string>;
  /** Field ids that differ from the usual `field-<name>`. */
  anchors?: Record<string, string>;
  /** Whole links, for fields on another page (a summary's parts, listed where it is published). */
  hrefs?: Record<string, string>;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const order = Object.keys(labels);
  const position = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  // The schema reports problems in its own order; readers expect the page's.
  const fieldErrors = Object.entries(feedback?.fieldErrors ?? {})
    .filter((entry): entry is [string, string[]] => !!entry[1]?.length)
    .sort(([a], [b]) => position(a) - position(b));
  const hasErrors = !!feedback?.formError || fieldErrors.length > 0;
  useEffect(() => {
    if (hasErrors) ref.current?.focus();
  }, [hasErrors, feedback]);
  if (!hasErrors) return null;
  return (
    <div
      className="error-summary"
      ref={ref}
      tabIndex={-1}
      role="alert"
      aria-labelledby="error-summary-title"
    >
      <h2 id="error-summary-title" className="error-summary__title">
        There is a problem
      </h2>
      <ul className="error-summary__list">
        {feedback?.formError ? (
          <li>
            {feedback.formError}
            {feedback.formErrorLink ? (
              <>
                {' '}
                <a href={feedback.formErrorLink.href}>{feedback.formErrorLink.text}</a>
              </>
            ) : null}
          </li>
        ) : null}
        {fieldErrors.map(([name, messages]) => (
          <li key={name}>
            {name in labels ? (
              <a href={hrefs[name] ?? `#${anchors[name] ?? fieldId(name)}`}>{messages[0]}</a>
            ) : (
              `${messages[0]}`
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

type FieldProps = {
  name: string;
  /** Only where one page has two fields of the same name (e.g. a comment box and a reply box). */
  id?: string;
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[] | undefined;
  children: (props: {
    id: string;
    name: string;
    'aria-describedby'?: string;
    'aria-invalid'?: true;
  }) => ReactNode;
};

/** Label, hint, error and control, wired together for screen readers. */
export function Field({ name, id: explicitId, label, hint, errors, children }: FieldProps) {
  const id = explicitId ?? fieldId(name);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${errorId ? ' field--error' : ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <div className="field__hint" id={hintId}>
          {hint}
        </div>
      ) : null}
      {errorId ? (
        <p className="field__error" id={errorId}>
          <span className="visually-hidden">Error: </span>
          {errors![0]}
        </p>
      ) : null}
      {children({
        id,
        name,
        'aria-describedby': describedBy,
        ...(errorId ? { 'aria-invalid': true as const } : {}),
      })}
    </div>
  );
}

type InputProps = {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  feedback?: FormFeedback | undefined;
  defaultValue?: string;
  type?: 'text' | 'email' | 'password' | 'datetime-local' | 'url';
  autoComplete?: string;
  width?: 'full' | 'half' | 'third';
  required?: boolean;
  maxLength?: number;
};

export function TextInput({
  feedback,
  defaultValue,
  type = 'text',
  width = 'full',
  autoComplete,
  required,
  maxLength,
  ...field
}: InputProps) {
  const value = feedback?.values?.[field.name] ?? defaultValue ?? '';
  return (
    <Field {...field} errors={feedback?.fieldErrors?.[field.name]}>
      {(props) => (
        <input
          {...props}
          className={`input input--${width}`}
          type={type}
          defaultValue={type === 'password' ? undefined : value}
          autoComplete={autoComplete}
          required={required}
          maxLength={maxLength}
          spellCheck={type === 'text' ? undefined : false}
        />
      )}
    </Field>
  );
}

/** The hint under every long text the site renders as Markdown (through the sanitiser). */
export const MARKDOWN_HINT =
  'Markdown: ## for headings, - for lists, **bold**, _italic_ and [links](https://example.org). HTML is removed.';

export function TextArea({
  feedback,
  defaultValue,
  rows = 6,
  required,
  maxLength,
  ...field
}: Omit<InputProps, 'type' | 'autoComplete' | 'width'> & { rows?: number }) {
  const value = feedback?.values?.[field.name] ?? defaultValue ?? '';
  return (
    <Field {...field} errors={feedback?.fieldErrors?.[field.name]}>
      {(props) => (
        <textarea
          {...props}
          className="textarea"
          rows={rows}
          defaultValue={value}
          required={required}
          maxLength={maxLength}
        />
      )}
    </Field>
  );
}

/** A group of radio buttons with a legend; `conditional` shows extra fields under an option. */
export function Radios({
  name,
  legend,
  hint,
  options,
  feedback,
  defaultValue,
  inline,
}: {
  name: string;
  legend: ReactNode;
  hint?: ReactNode;
  options: {
    value: string;
    label: string;
    hint?: string;
    conditional?: ReactNode;
    /** A fuller name for screen readers, when the visible label is terse (e.g. "3"). */
    ariaLabel?: string;
  }[];
  feedback?: FormFeedback | undefined;
  defaultValue?: string;
  inline?: boolean;
}) {
  const errors = feedback?.fieldErrors?.[name];
  const selected = feedback?.values?.[name] ?? defaultValue;
  const id = fieldId(name);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className={`field${errorId ? ' field--error' : ''}`}>
      <fieldset
        className="fieldset"
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
      >
        <legend className="field__label">{legend}</legend>
        {hint ? (
          <div className="field__hint" id={hintId}>
            {hint}
          </div>
        ) : null}
        {errorId ? (
          <p className="field__error" id={errorId}>
            <span className="visually-hidden">Error: </span>
            {errors![0]}
          </p>
        ) : null}
        <div className={inline ? 'radios radios--inline' : 'radios'}>
          {options.map((option, index) => {
            const optionId = index === 0 ? id : `${id}-${option.value}`;
            return (
              <div className="radios__item" key={option.value}>
                <input
                  className="radios__input"
                  type="radio"
                  id={optionId}
                  name={name}
                  value={option.value}
                  defaultChecked={selected === option.value}
                  aria-describedby={option.hint ? `${optionId}-hint` : undefined}
                  aria-label={option.ariaLabel}
                />
                <label className="radios__label" htmlFor={optionId}>
                  {option.label}
                </label>
                {option.hint ? (
                  <div className="radios__hint" id={`${optionId}-hint`}>
                    {option.hint}
                  </div>
                ) : null}
                {option.conditional ? (
                  <div className="radios__conditional">{option.conditional}</div>
                ) : null}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}
