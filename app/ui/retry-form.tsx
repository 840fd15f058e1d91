import { Form } from '~/ui/post-form';

type Retry = { action: string; values: Record<string, string>; secretFields: string[] };

// Fields that are the form's machinery, not something the person typed.
const MACHINERY =
  /^(_|intent$|version$|token$|redirectTo$|seen|submissionKey$|idempotencyKey$)|Id$/;

const LABELS: Record<string, string> = {
  body: 'Your comment',
  reason: 'Your reason',
  reasons: 'Your reasons',
  overallComments: 'Your overall comments',
  note: 'Your note',
  rationale: 'Your rationale',
  evidence: 'Your evidence',
  summary: 'Summary',
  houseRules: 'House rules',
  displayName: 'Display name',
  email: 'Email address',
  password: 'Password',
  currentPassword: 'Your current password',
};

function labelFor(name: string) {
  if (LABELS[name]) return LABELS[name];
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Free text is shown to copy or change; choices and the form's machinery travel hidden. */
const isFreeText = (name: string, value: string) =>
  !MACHINERY.test(name) && (value.length > 40 || /\s/.test(value.trim()));

/**
 * After the database was unavailable: what the person sent, ready to send again unchanged.
 * Works without JavaScript (a plain post to the same address); each form's own keys make the
 * second send safe, so "Try again" cannot save anything twice.
 */
export function RetryForm({ retry, message }: { retry: Retry; message: string }) {
  const entries = Object.entries(retry.values);
  const text = entries.filter(([name, value]) => isFreeText(name, value));
  const hidden = entries.filter(([name, value]) => !isFreeText(name, value));
  return (
    <div className="narrow">
      <h1>Not saved yet: please try again</h1>
      <p className="lead">{message}</p>
      <p>
        Nothing you typed is lost{text.length ? ': it is below' : ''}. Wait a few seconds, then
        press <strong>Try again</strong>. Sending it again is safe: it will not be saved twice.
      </p>
      <Form method="post" action={retry.action} className="stack">
        {hidden.map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        {text.map(([name, value]) => (
          <div className="field" key={name}>
            <label className="field__label" htmlFor={`retry-${name}`}>
              {labelFor(name)}
            </label>
            <textarea
              id={`retry-${name}`}
              name={name}
              className="textarea"
              rows={Math.min(12, Math.max(3, Math.ceil(value.length / 70)))}
              defaultValue={value}
            />
          </div>
        ))}
        {retry.secretFields.map((name) => (
          <div className="field" key={name}>
            <label className="field__label" htmlFor={`retry-${name}`}>
              {labelFor(name)}
            </label>
            <div className="field__hint" id={`retry-${name}-hint`}>
              For your safety we do not keep passwords: type it again.
            </div>
            <input
              id={`retry-${name}`}
              name={name}
              type="password"
              className="input input--half"
              autoComplete={name === 'password' ? 'current-password' : 'off'}
              aria-describedby={`retry-${name}-hint`}
              required
            />
          </div>
        ))}
        <div>
          <button type="submit" className="button button--primary">
            Try again
          </button>
        </div>
      </Form>
    </div>
  );
}
