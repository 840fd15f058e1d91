import { type Segment } from '../enums';

// What the accounts forms and pages show and limit: labels, options and lengths, without zod,
// so that pages can import them without the schemas (app/lib/schemas/accounts.ts) in the browser's bundle.

export const SEGMENT_LABELS: Record<Segment, string> = {
  founder: 'Founder or startup team member',
  investor: 'Investor',
  other: 'Other',
};

export const PASSWORD_HINT =
  'At least 10 characters; any characters, spaces too. A few unrelated words make a strong password. Common passwords are refused.';
