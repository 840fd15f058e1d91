import { Field, type FormFeedback } from './form';

type Option = { value: string; label: string };

/** A labelled select with an empty first choice; options may be grouped. */
export function SelectField({
  name,
  label,
  hint,
  feedback,
  defaultValue,
  options,
  groups,
}: {
  name: string;
  label: string;
  hint?: string;
  feedback?: FormFeedback | undefined;
  defaultValue?: string;
  options?: Option[];
  groups?: { label: string; options: Option[] }[];
}) {
  const value = feedback?.values?.[name] ?? defaultValue ?? '';
  return (
    <Field name={name} label={label} hint={hint} errors={feedback?.fieldErrors?.[name]}>
      {(props) => (
        <select {...props} className="select input--half" defaultValue={value}>
          <option value="">Choose (optional)</option>
          {options?.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
          {groups?.map((g) => (
            <optgroup key={g.label} label={g.label}>
              {g.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      )}
    </Field>
  );
}
