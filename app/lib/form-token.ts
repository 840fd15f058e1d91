/** The hidden field that carries the form token (app/.server/form-token.ts explains when it counts). */
export const FORM_TOKEN_FIELD = '_token';
