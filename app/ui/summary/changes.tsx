import { Form, Link } from '@remix-run/react';
import type { DiffLine } from '~/lib/text-diff';
import { ErrorSummary, Field, type FormFeedback } from '~/ui/form';
import { summaryPath, type VersionListItem } from './summary-page';

export type FieldDiffView = { field: string; label: string; changed: boolean; lines: DiffLine[] };

const SIGN: Record<DiffLine['op'], { mark: string; words: string }> = {
  added: { mark: '+', words: 'Added: ' },
  removed: { mark: '−', words: 'Removed: ' },
  same: { mark: '', words: '' },
};

/** One text's lines, marked added or removed in words as well as colour and sign. */
export function LineDiff({ lines }: { lines: DiffLine[] }) {
  return (
    <ol className="diff">
      {lines.map((line, i) => (
        <li key={i} className={`diff__line--${line.op}`}>
          <span className="diff__sign" aria-hidden="true">
            {SIGN[line.op].mark}
          </span>
          {line.op === 'same' ? null : (
            <span className="visually-hidden">{SIGN[line.op].words}</span>
          )}
          {line.op === 'added' ? (
            <ins>{line.text || ' '}</ins>
          ) : line.op === 'removed' ? (
            <del>{line.text || ' '}</del>
          ) : (
            line.text || ' '
          )}
        </li>
      ))}
    </ol>
  );
}

function diffId(field: string) {
  return `diff-${field.replace(/\./g, '-')}`;
}

const PICKER_LABELS = { from: 'Compare version', to: 'with version' };

/** Two version choices sent as a GET form, so comparing works without JavaScript. */
export function VersionPicker({
  slug,
  versions,
  from,
  to,
  feedback,
}: {
  slug: string;
  versions: VersionListItem[];
  from: number;
  to: number;
  feedback: FormFeedback;
}) {
  const select = (name: 'from' | 'to', value: number) => (
    <Field name={name} label={PICKER_LABELS[name]} errors={feedback.fieldErrors?.[name]}>
      {(props) => (
        <select {...props} className="select" defaultValue={String(value)}>
          {versions.map((v) => (
            <option key={v.number} value={v.number}>
              Version {v.number}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  return (
    <>
      <ErrorSummary feedback={feedback} labels={PICKER_LABELS} />
      <Form
        method="get"
        action={`/consultations/${slug}/summary/changes`}
        className="version-picker"
        aria-label="Choose the versions to compare"
      >
        {select('from', from)}
        {select('to', to)}
        <button type="submit" className="button">
          Compare
        </button>
      </Form>
    </>
  );
}

/** The fields that changed between two versions, each with its lines; the rest named. */
export function VersionChanges({
  slug,
  fields,
  from,
  to,
}: {
  slug: string;
  fields: FieldDiffView[];
  from: number;
  to: number;
}) {
  const changed = fields.filter((f) => f.changed);
  const same = fields.filter((f) => !f.changed);
  return (
    <>
      {changed.length ? (
        changed.map((f) => (
          <section key={f.field} className="diff-field" aria-labelledby={diffId(f.field)}>
            <h3 id={diffId(f.field)}>{f.label}</h3>
            <LineDiff lines={f.lines} />
          </section>
        ))
      ) : (
        <p>None of the texts, outcomes, quotes or evidence changed between these versions.</p>
      )}
      {same.length ? (
        <details className="method">
          <summary>
            {same.length} {same.length === 1 ? 'part' : 'parts'} unchanged
          </summary>
          <ul>
            {same.map((f) => (
              <li key={f.field}>{f.label}</li>
            ))}
          </ul>
        </details>
      ) : null}
      <p className="summary-actions">
        <Link to={summaryPath(slug, from)}>Read version {from}</Link>
        {' · '}
        <Link to={summaryPath(slug, to)}>Read version {to}</Link>
      </p>
    </>
  );
}
