// How "you said" points at its evidence: a marker `[1]`, `[2]`… in the text names the first,
// second… citation of that recommendation. The page turns each marker into a link to the
// evidence on the same page; a number with no citation behind it stays plain text.

const MARKER = /\[(\d{1,3})\]/g;
/** Inside these, a marker is code or already a link, so it is left alone. */
const LEAVE_ALONE = new Set(['a', 'code', 'pre']);

/** The anchor of a recommendation's n-th piece of evidence (from 1). */
export function evidenceId(recommendationNumber: number, n: number) {
  return `recommendation-${recommendationNumber}-evidence-${n}`;
}

/** The anchor of a recommendation's n-th chosen quote (from 1). */
export function quoteId(recommendationNumber: number, n: number) {
  return `recommendation-${recommendationNumber}-quote-${n}`;
}

/**
 * The sanitised HTML of a text with its citation markers as links to the evidence. Only text
 * between tags changes, and only the site's own markup is added, so the HTML stays as safe as
 * the sanitiser left it.
 */
export function linkCitations(html: string, recommendationNumber: number, citations: number) {
  const open: string[] = [];
  return html
    .split(/(<[^>]*>)/)
    .map((part) => {
      const tag = /^<(\/?)([a-z][a-z0-9]*)/i.exec(part);
      if (tag) {
        const name = tag[2]!.toLowerCase();
        if (LEAVE_ALONE.has(name)) {
          if (tag[1]) open.splice(open.lastIndexOf(name), 1);
          else if (!part.endsWith('/>')) open.push(name);
        }
        return part;
      }
      if (open.length > 0) return part;
      return part.replace(MARKER, (marker, digits: string) => {
        const n = Number(digits);
        if (n < 1 || n > citations) return marker;
        return `<a class="citation" href="#${evidenceId(recommendationNumber, n)}"><span class="visually-hidden">Evidence </span>[${n}]</a>`;
      });
    })
    .join('');
}
