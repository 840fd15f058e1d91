import type { RateLimit } from '../rate-limits';

// How much of each kind of writing one account (or address) may do in a window.

export const COMMENTS_PER_MINUTE: RateLimit = {
  name: 'comments-account-minute',
  limit: 5,
  windowSeconds: 60,
};
export const COMMENTS_PER_HOUR: RateLimit = {
  name: 'comments-account-hour',
  limit: 30,
  windowSeconds: 3600,
};
// Offices and universities share an address, so the per-address allowance is wider.
export const COMMENTS_PER_IP: RateLimit = { name: 'comments-ip', limit: 60, windowSeconds: 3600 };
// A handful of accounts reporting everything in sight must not hide a whole discussion.
export const REPORTS_PER_ACCOUNT: RateLimit = {
  name: 'reports-account',
  limit: 20,
  windowSeconds: 3600,
};

// Each edit rewrites a stored comment and each vote toggle its count: a person fixing typos or
// changing their mind needs a few, a script thousands.
export const COMMENT_EDITS_PER_ACCOUNT: RateLimit = {
  name: 'comment-edits-account',
  limit: 30,
  windowSeconds: 900,
};
export const HELPFUL_VOTES_PER_ACCOUNT: RateLimit = {
  name: 'helpful-votes-account',
  limit: 60,
  windowSeconds: 600,
};
