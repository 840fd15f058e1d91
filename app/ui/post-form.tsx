import { Form as RemixForm, useRouteLoaderData, type FormProps } from '@remix-run/react';
import { forwardRef } from 'react';
import { FORM_TOKEN_FIELD } from '~/lib/form-token';
import type { loader as rootLoader } from '~/root';

/**
 * The signed-in session's form token as a hidden field (app/.server/form-token.ts says when the
 * server needs it). For fetcher forms; `Form` below adds it by itself.
 */
export function FormToken() {
  const token = useRouteLoaderData<typeof rootLoader>('root')?.formToken;
  return token ? <input type="hidden" name={FORM_TOKEN_FIELD} value={token} /> : null;
}

/** Remix's Form, with the form token in every form that posts (never in a GET form's address). */
export const Form = forwardRef<HTMLFormElement, FormProps>(function Form(
  { children, ...props },
  ref,
) {
  const posts = (props.method ?? 'get').toLowerCase() !== 'get';
  return (
    <RemixForm ref={ref} {...props}>
      {posts ? <FormToken /> : null}
      {children}
    </RemixForm>
  );
});
