import { Link } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { useEffect, useRef } from 'react';
import { SubmitButton } from './submit-button';

/**
 * A change that needs an explicit yes: says exactly what it changes, then posts the same form
 * again with `confirmed=yes`. It is server-rendered from the action's answer, so it works
 * without JavaScript; with it, focus moves here so the statement is read first.
 */
export function ConfirmChange({
  heading,
  statements,
  values,
  confirmLabel,
  pendingText = 'Saving…',
  cancelTo,
  cancelLabel = 'Cancel: make no change',
  action,
}: {
  heading: string;
  statements: readonly string[];
  /** Everything the first form sent, so confirming saves exactly what was shown. */
  values: Record<string, string>;
  confirmLabel: string;
  pendingText?: string;
  cancelTo: string;
  cancelLabel?: string;
  /** Where to post, when not to the current page. */
  action?: string;
}) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [statements]);
  const { confirmed: _confirmed, intent, ...hidden } = values;
  return (
    <section
      className="confirm-change"
      aria-labelledby="confirm-change-heading"
      tabIndex={-1}
      ref={ref}
    >
      <h2 id="confirm-change-heading">{heading}</h2>
      {statements.map((statement) => (
        <p key={statement}>{statement}</p>
      ))}
      <Form method="post" action={action}>
        {Object.entries(hidden).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="confirmed" value="yes" />
        <div className="button-row">
          <SubmitButton name="intent" value={intent} variant="warning" pendingText={pendingText}>
            {confirmLabel}
          </SubmitButton>
          <Link to={cancelTo}>{cancelLabel}</Link>
        </div>
      </Form>
    </section>
  );
}
