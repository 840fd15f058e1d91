// `node scripts/print-summary-pdf.mjs [summary address] [output prefix]`: prints a published
// summary to A4 PDF in Chromium, as a reader's "Save as PDF" would, and turns its first two pages
// into PNGs with pdftoppm (Debian's poppler-utils) to look at: the check of the print styles
// (app/styles/summary.css) that docs/screenshots/summary-print-pdf-*.png come from.
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';

const address =
  process.argv[2] ?? 'http://localhost:3000/consultations/sample-first-year-support/summary';
const prefix = process.argv[3] ?? 'docs/screenshots/summary-print-pdf';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
});
try {
  const page = await browser.newPage();
  const response = await page.goto(address);
  if (!response?.ok()) throw new Error(`${address} answered ${response?.status()}`);
  await page.pdf({ path: `${prefix}.pdf`, format: 'A4', printBackground: true });
} finally {
  await browser.close();
}
execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '2', `${prefix}.pdf`, prefix]);
console.log(`Wrote ${prefix}.pdf and ${prefix}-1.png, ${prefix}-2.png`);
