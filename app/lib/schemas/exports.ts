// The organiser's downloads of a consultation: which tables, in which shapes and formats. The
// page lists them from here, the download route reads its file name with `parseExportFile`,
// and the command line (db/export-cli.ts) takes the same names.

export const EXPORT_DATASETS = [
  'responses-long',
  'responses-wide',
  'comments',
  'endorsements',
  'moderation-decisions',
  'audit-log',
] as const;
export type ExportDataset = (typeof EXPORT_DATASETS)[number];

export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_DATASET_INFO: Record<ExportDataset, { title: string; description: string }> = {
  'responses-long': {
    title: 'Responses, one row per answer',
    description:
      'Every submitted response, whatever its publishing choice, with one row for each recommendation it answered: view, importance, reasons and what would change the person’s mind. Best for filtering and pivot tables.',
  },
  'responses-wide': {
    title: 'Responses, one row per response',
    description:
      'The same responses with one row each and a group of columns per recommendation, with the overall comments. Best for reading a response whole.',
  },
  comments: {
    title: 'Comments',
    description:
      'Every comment and reply on the recommendations, with its moderation state, reports and helpful votes. Hidden and removed comments are included and marked.',
  },
  endorsements: {
    title: 'Endorsements',
    description:
      'Who endorsed which recommendation, and whether they did so for their organisation or asked for their name to be shown.',
  },
  'moderation-decisions': {
    title: 'Moderation decisions',
    description:
      'Every decision moderators made about comments and quotes, with the reason, the note and the text before and after.',
  },
  'audit-log': {
    title: 'Audit log',
    description:
      'Everything organisers, moderators and respondents changed in this consultation, newest first, including each download from this page.',
  },
};

export type ExportFile = { dataset: ExportDataset; format: ExportFormat };

/** `responses-long.csv` read into its parts, or null for any other name. */
export function parseExportFile(name: string): ExportFile | null {
  const dot = name.lastIndexOf('.');
  const dataset = name.slice(0, dot);
  const format = name.slice(dot + 1);
  if (!(EXPORT_DATASETS as readonly string[]).includes(dataset)) return null;
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) return null;
  return { dataset: dataset as ExportDataset, format: format as ExportFormat };
}

export function exportFileName(slug: string, file: ExportFile) {
  return `${slug}-${file.dataset}.${file.format}`;
}
