// What the email forms and pages show and limit: labels, options and lengths, without zod,
// so that pages can import them without the schemas (app/lib/schemas/email.ts) in the browser's bundle.

export const EMAIL_TOPIC_LABELS = {
  moderation: {
    label: 'Moderation decisions about what I post',
    hint: 'When a moderator hides, restores or reviews one of your comments or quotes.',
  },
  account: {
    label: 'News about my account',
    hint: 'Verification of your organisation, roles given to you, suspensions.',
  },
  consultation_news: {
    label: 'Consultation news',
    hint: 'When a consultation you responded to publishes its summary.',
  },
} as const;
