import type { OutcomeStatus } from '../enums';

// What the summary editor and pages show and limit, without zod, so that pages can import them
// without the form schemas (app/lib/schemas/summaries.ts) in the browser's bundle.

export const OUTCOME_STATUS_LABELS: Record<OutcomeStatus, string> = {
  adopted: 'Adopted',
  adopted_with_changes: 'Adopted with changes',
  under_consideration: 'Under consideration',
  not_adopted: 'Not adopted',
  no_longer_applicable: 'No longer applicable',
};

/** The licences an organiser may publish a summary (and its open data) under; the first is the default. */
export const SUMMARY_LICENCES = {
  'ogl-3': {
    name: 'Open Government Licence v3.0',
    hint: 'The UK public sector’s usual licence: anyone may copy and reuse it, saying where it came from.',
  },
  'cc-by-4': {
    name: 'Creative Commons Attribution 4.0 International (CC BY 4.0)',
    hint: 'The same freedoms, in the licence used worldwide.',
  },
} as const;
export type SummaryLicence = keyof typeof SUMMARY_LICENCES;
export const SUMMARY_LICENCE_IDS = Object.keys(SUMMARY_LICENCES) as SummaryLicence[];

export const SUMMARY_TEXT_MAX = 20000;
export const SUMMARY_INTRO_MAX = 50000;
export const MAX_QUOTES = 20;
export const MAX_CITATIONS = 50;

export type EvidenceField = 'quote' | 'cite';

export function evidenceFieldName(field: EvidenceField, ref: string) {
  return `${field}:${ref}`;
}

/** The checkbox value of a piece of evidence: its place if chosen, else after every chosen one. */
export function evidenceOrder(chosen: readonly string[], ref: string, pagePosition: number) {
  const at = chosen.indexOf(ref);
  return String(at >= 0 ? at + 1 : MAX_CITATIONS + MAX_QUOTES + pagePosition + 1);
}

export const EVIDENCE_FIELD = /^(quote|cite):(.+)$/;

/** The evidence a form sent, in its order: the refs of its `quote:` and `cite:` checkboxes. */
export function typedEvidence(values: Record<string, unknown>) {
  const found = { quote: [] as [number, string][], cite: [] as [number, string][] };
  for (const [key, value] of Object.entries(values)) {
    const match = EVIDENCE_FIELD.exec(key);
    if (match) {
      found[match[1] as EvidenceField].push([Number(value) || Number.MAX_SAFE_INTEGER, match[2]!]);
    }
  }
  const ordered = (list: [number, string][]) => list.sort((a, b) => a[0] - b[0]).map(([, r]) => r);
  return { quotes: ordered(found.quote), citations: ordered(found.cite) };
}
