import anyAscii from 'any-ascii';

/**
 * Characters a name never needs and that are used to deceive: controls, format characters
 * (zero-width spaces, the bidi overrides such as U+202E that make "nimda" read "admin"),
 * private-use and unassigned code points, line and paragraph separators.
 */
const HIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;

/** Words that would make a respondent pass as the people who run the consultation. */
const STAFF_WORDS = new Set([
  'moderator',
  'moderators',
  'moderation',
  'organiser',
  'organisers',
  'organizer',
  'organizers',
  'admin',
  'admins',
  'administrator',
  'administrators',
  'staff',
  'official',
  'openconsultation',
]);

// Digits and signs people use for letters ("M0derat0r", "@dmin").
const LOOK_ALIKES: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '@': 'a',
  $: 's',
  '|': 'l',
  '!': 'i',
};

/**
 * The name as the words a reader sees, in plain lowercase ASCII: compatibility forms folded
 * (full-width "ＡＤＭＩＮ"), letters from other scripts that look like Latin ones transliterated
 * (Cyrillic "Мoderatоr"), accents dropped and look-alike digits read as letters.
 */
function readAs(name: string): string[] {
  const ascii = anyAscii(name.normalize('NFKC')).toLowerCase();
  const lettered = ascii.replace(/[0-9@$|!]/g, (c) => LOOK_ALIKES[c] ?? c);
  return lettered.split(/[^a-z]+/).filter(Boolean);
}

/** Whether a display name reads as a staff role, also when spelt out letter by letter. */
export function readsAsStaff(name: string): boolean {
  const words = readAs(name);
  if (words.some((word) => STAFF_WORDS.has(word))) return true;
  if (STAFF_WORDS.has(words.join(''))) return true;
  // "M o d e r a t o r", "The A.D.M.I.N": runs of single letters read as one word.
  const runs = words
    .join(' ')
    .split(/\b[a-z]{2,}\b/)
    .map((run) => run.replace(/\s+/g, ''));
  return runs.some((run) => STAFF_WORDS.has(run));
}

/** Why a display name cannot be used, or null when it can. */
export function displayNameProblem(name: string): string | null {
  if (HIDDEN_CHARACTERS.test(name)) {
    return 'Your name cannot contain invisible or text-direction characters';
  }
  if (readsAsStaff(name)) {
    return 'Your name cannot look like a staff role (moderator, organiser, admin or staff): people must be able to tell who runs the consultation';
  }
  return null;
}
