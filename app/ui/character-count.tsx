import { useState } from 'react';
import { Field, type FormFeedback } from './form';

/**
 * A textarea with a limit. The server enforces the limit; with JavaScript the count updates as
 * the person types (announced politely), and typing past the limit is allowed but flagged, so
 * nothing pasted is cut off silently.
 */
export function CharacterCount({
  name,
  id,
  label,
  hint,
  max,
  feedback,
  defaultValue,
  rows = 6,
}: {
  name: string;
  id?: string;
  label: string;
  hint?: string;
  max: number;
  feedback?: FormFeedback | undefined;
  defaultValue?: string | null;
  rows?: number;
}) {
  const initial = feedback?.values?.[name] ?? defaultValue ?? '';
  const [length, setLength] = useState<number | null>(null);
  const limit = max.toLocaleString('en-GB');
  const remaining = max - (length ?? initial.length);
  const message =
    length === null
      ? `You can enter up to ${limit} characters`
      : remaining >= 0
        ? `You have ${remaining.toLocaleString('en-GB')} ${remaining === 1 ? 'character' : 'characters'} remaining`
        : `You have ${(-remaining).toLocaleString('en-GB')} ${remaining === -1 ? 'character' : 'characters'} too many`;
  return (
    <Field
      name={name}
      id={id}
      label={label}
      hint={
        <>
          {hint ? <span className="field__hint-text">{hint} </span> : null}
          <span className={remaining < 0 ? 'count count--over' : 'count'} aria-live="polite">
            {message}
          </span>
        </>
      }
      errors={feedback?.fieldErrors?.[name]}
    >
      {(props) => (
        <textarea
          {...props}
          className="textarea"
          rows={rows}
          defaultValue={initial}
          onChange={(event) => setLength(event.currentTarget.value.length)}
          onFocus={(event) => setLength(event.currentTarget.value.length)}
        />
      )}
    </Field>
  );
}
