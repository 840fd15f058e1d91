import { useNavigation } from '@remix-run/react';
import type { ReactNode } from 'react';

/**
 * A submit button that, with JavaScript, shows the form is on its way and ignores second clicks.
 * Without JavaScript the server's own checks make repeats harmless.
 */
export function SubmitButton({
  children,
  pendingText,
  variant = 'primary',
  name,
  value,
}: {
  children: ReactNode;
  pendingText?: string;
  variant?: 'primary' | 'secondary' | 'warning' | 'link';
  name?: string;
  value?: string;
}) {
  const navigation = useNavigation();
  const pending =
    navigation.state === 'submitting' &&
    (name === undefined || navigation.formData?.get(name) === value);
  return (
    <button
      type="submit"
      className={`button button--${variant}`}
      name={name}
      value={value}
      aria-disabled={pending || undefined}
      onClick={(event) => {
        if (pending) event.preventDefault();
      }}
    >
      {pending && pendingText ? pendingText : children}
    </button>
  );
}
