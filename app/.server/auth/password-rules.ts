import { dictionary } from '@zxcvbn-ts/language-common';
import { DomainError } from '../errors';

// NIST SP 800-63B §3.1.1.2: a length rule, no composition rules, and a check against passwords
// known to be common or guessable from the account itself. The list is zxcvbn-ts's (about 49,000
// passwords from breach corpora, MIT, shipped inside the package, so nothing is fetched).

let common: Set<string> | undefined;

/** Passwords are compared as typed, folded: NFKC (as they are hashed), lower case, no spaces. */
function fold(value: string) {
  return value.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

function commonPasswords() {
  common ??= new Set(dictionary['passwords-common'].map(fold));
  return common;
}

export const COMMON_PASSWORD =
  'This password is on a list of common passwords that attackers try first. Choose another: a few unrelated words make a strong one.';
export const PERSONAL_PASSWORD =
  'Your password must not be your email address or your name. Choose another: a few unrelated words make a strong one.';

/** Why `password` may not be chosen by this person, or null when it may. */
export function passwordProblem(
  password: string,
  person: { email: string; displayName?: string | null },
): string | null {
  const folded = fold(password);
  if (commonPasswords().has(folded)) return COMMON_PASSWORD;
  const email = fold(person.email);
  const personal = [email, email.split('@')[0]!, fold(person.displayName ?? '')];
  if (personal.some((value) => value.length > 0 && value === folded)) return PERSONAL_PASSWORD;
  return null;
}

/**
 * Refuses a new password (sign-up, change, reset) that breaks the rules above, as an error on the
 * password field, so the form comes back with everything else kept. Existing passwords are never
 * checked again: an account with a weak one still signs in.
 */
export function requireAcceptablePassword(
  password: string,
  person: { email: string; displayName?: string | null },
  field = 'password',
) {
  const problem = passwordProblem(password, person);
  if (problem) throw new DomainError('invalid', problem, { fieldErrors: { [field]: [problem] } });
}
