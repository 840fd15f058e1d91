import type { DeletionPolicy } from '#db/schema';

/** What a privacy notice says; every part has a site-wide default. */
export type PrivacyNotice = {
  controller: string;
  lawfulBasis: string;
  published: string;
  retentionMonths: number;
  /** Null when neither the consultation nor the site has given one. */
  contactEmail: string | null;
  deletionPolicy: DeletionPolicy;
};

/** The site-wide notice's own words; the operator and contact come from the environment. */
export const DEFAULT_NOTICE = {
  lawfulBasis:
    'Your consent. You give it when you create an account and each time you submit a response, ' +
    'post a comment or endorse a recommendation. You can withdraw it at any time by deleting ' +
    'your account; what happens to each response is set out below.',
  published:
    'The results count every submitted answer by group (founders, investors, others). Your ' +
    'reasons may be quoted only if you allowed it: with your name if you chose to be named, ' +
    'without it if you chose to be anonymous, and never if you chose to keep them private. ' +
    'Comments are public with the name you gave, and so are endorsements you chose to show ' +
    'your name on. Your email address is never published.',
  retentionMonths: 24,
  deletionPolicy: 'anonymise' as DeletionPolicy,
};

export const DELETION_POLICY_LABELS: Record<DeletionPolicy, string> = {
  erase: 'Erased: your response is removed completely and no longer counted',
  anonymise:
    'Anonymised: your choices stay in the results without your name, details or written reasons',
};

/** The notice that applies: each part the consultation set, else the site default. */
export function resolveNotice(
  site: { operator: string; contactEmail: string | null },
  consultation?: {
    privacy_controller: string | null;
    privacy_lawful_basis: string | null;
    privacy_published: string | null;
    privacy_retention_months: number | null;
    privacy_contact_email: string | null;
    deletion_policy: DeletionPolicy;
  },
): PrivacyNotice {
  return {
    controller: consultation?.privacy_controller ?? site.operator,
    lawfulBasis: consultation?.privacy_lawful_basis ?? DEFAULT_NOTICE.lawfulBasis,
    published: consultation?.privacy_published ?? DEFAULT_NOTICE.published,
    retentionMonths: consultation?.privacy_retention_months ?? DEFAULT_NOTICE.retentionMonths,
    contactEmail: consultation?.privacy_contact_email ?? site.contactEmail,
    deletionPolicy: consultation?.deletion_policy ?? DEFAULT_NOTICE.deletionPolicy,
  };
}

/** "24 months" / "1 month". */
export function formatMonths(months: number) {
  return months === 1 ? '1 month' : `${months} months`;
}
