import { LICENCE } from '~/lib/open-data/files';
import { Z_95 } from '~/lib/results/statistics';
import type { Row } from '../exports';

// The package's README: what each column means and how every figure is worked out, in plain
// words, with an example worked through on one of this consultation's own rows.

const DICTIONARY = `## aggregates.csv and aggregates.json

One row per recommendation, group and view. The JSON file holds the same rows under \`rows\`.

| Column | Meaning |
| --- | --- |
| recommendation_number, recommendation_slug, recommendation_title | Which recommendation |
| group | \`all\` (everyone), \`founder\`, \`investor\` or \`other\` |
| verified_only | \`false\`: every response; \`true\`: only respondents whose details were verified when they responded |
| suppressed | \`true\` when the group is too small to show (see "Small groups"); its counts and figures are then blank |
| answers | Responses that answered this recommendation at all |
| strongly_support … no_view | Answers with each stance |
| importance_1 … importance_5 | Answers giving each importance, 1 (low) to 5 (high) |
| importance_answers | Answers that gave an importance |
| importance_mean, importance_sd | Mean and sample standard deviation of importance |
| support_share, support_low, support_high | Share supporting, with its 95% interval |
| oppose_share, oppose_low, oppose_high | Share opposing, with its 95% interval |
| net_support, net_support_low, net_support_high | Net support, −1 to +1, with its 95% interval |
| reasons_tone_texts, _negative, _neutral, _positive, _mean | Tone of the written reasons, each scored from −1 (clearly negative) to +1 (clearly positive) when submitted: how many were scored, how many read negative, neutral and positive, and their mean. Reasons hidden by moderators are left out |
| comment_tone_texts … comment_tone_mean | The same for the group's published comments |
| endorsements | Endorsements by people of the group (endorsements carry no verification, so both views count all of them) |
| comments | Published comments by people of the group |

Shares are fractions between 0 and 1 (0.5 is 50%), and net support runs from −1 to +1: the
pages show it times 100 (0.25 is +25). A blank figure means there is nothing to work it out
from, or the group is suppressed.

## trend.csv and trend.json

Net support over time, as the recommendation pages chart it: one row per recommendation, view
and step of days. Days are merged into one step until it adds none or at least 5 answers (and,
in the verified view, none or at least 5 unverified ones), so that neighbouring rows never show
how a few people answered; a small last step is merged into the one before.

| Column | Meaning |
| --- | --- |
| recommendation_number, recommendation_slug, verified_only | As in aggregates.csv |
| day | The last day of the step (YYYY-MM-DD) |
| answers_added, answers | Answers first given in the step, and up to the end of its last day |
| strongly_support … no_view | Stances of those answers, as they stand now |
| net_support, net_support_low, net_support_high | Net support of those stances, with its 95% interval |

## responses.csv and responses.json

One row per response and recommendation answered, only for respondents who chose to publish
their response. Someone who chose "named" appears with their name and organisation; someone who
chose "anonymous" appears with their group only; someone who chose "do not publish" does not
appear at all.

| Column | Meaning |
| --- | --- |
| response | A label that is the same on every row of one response (not its reference) |
| publishing_choice | \`named\` or \`anonymous\` |
| name, organisation | Only for \`named\` |
| group, verified | The respondent's group, and whether they were verified when they responded |
| recommendation_number, recommendation_slug | Which recommendation |
| stance, importance | As answered; blank when not answered |
| reasons | The reasons given, when they are published |
| reasons_status | \`published\`; \`withheld\` when a moderator has held or taken them down (the text is left out); blank without reasons |

## manifest.json

Each file's size in bytes and SHA-256, so you can check that what you downloaded is what was
published, and the licence.`;

const METHOD = `## How each figure is worked out

- **Those with a view**: every answer except "no view". Neutral is a view.
- **Share supporting**: (strongly support + support) ÷ those with a view. **Share opposing**
  likewise with oppose and strongly oppose.
- **95% interval of a share (Wilson score interval)**: for *s* of *n*, with p = s ÷ n and
  z = 1.959964, the centre is (p + z²/2n) ÷ (1 + z²/n) and the half-width is
  z ÷ (1 + z²/n) × √(p(1 − p)/n + z²/4n²); the interval is centre ± half-width (exactly 0 when
  s = 0, exactly 1 when s = n).
- **Net support**: share supporting − share opposing, from −1 (everyone opposes) to +1
  (everyone supports).
- **Its 95% interval (MOVER-Wilson)**: with p₊, p₋ the two shares and [l₊, u₊], [l₋, u₋] their
  Wilson intervals, and r = −√(p₊p₋ ÷ ((1 − p₊)(1 − p₋))) (0 when either share is 0 or 1), the
  lower limit is d − √((p₊ − l₊)² + (u₋ − p₋)² − 2r(p₊ − l₊)(u₋ − p₋)) and the upper limit
  d + √((u₊ − p₊)² + (p₋ − l₋)² − 2r(u₊ − p₊)(p₋ − l₋)), where d is the net support; both are
  kept within −1 and +1.
- **Importance**: mean = Σ value × count ÷ importance_answers; the standard deviation is the
  sample one (divided by n − 1), blank for a single answer.

## Small groups

A group of 1 to 4 people is not shown: with a name or a date, a reader could work out how
someone answered. Hiding it alone is not enough, because the other numbers could give it back,
so the next smallest group is hidden too until the hidden groups together are none or at least
5 people, and the total is hidden when even it would give a small group away. In the verified
view, a group is also hidden when its unverified remainder (the difference from the first view)
is 1 to 4 people. Nobody (0) is never hidden. Endorsements and comments are public already and
always shown.`;

const round = (n: number, digits = 4) => Number(n.toFixed(digits));
const Z2 = Z_95 * Z_95;
const wilsonCentre = (p: number, n: number) => (p + Z2 / (2 * n)) / (1 + Z2 / n);
const wilsonHalf = (p: number, n: number) =>
  (Z_95 / (1 + Z2 / n)) * Math.sqrt((p * (1 - p)) / n + Z2 / (4 * n * n));

function example(row: Row | undefined) {
  if (!row) return 'No recommendation has enough answers yet for a worked example.';
  const num = (key: string) => Number(row[key]);
  const plus = num('strongly_support') + num('support');
  const minus = num('strongly_oppose') + num('oppose');
  const n = num('answers') - num('no_view');
  const fig = (key: string) => round(num(key));
  const viewCounts = ['strongly_support', 'support', 'neutral', 'oppose', 'strongly_oppose']
    .map((key) => row[key])
    .join(' + ');
  const stances = ['strongly support', 'support', 'neutral', 'oppose', 'strongly oppose', 'no view']
    .map((label) => `${row[label.replace(' ', '_')]} ${label}`)
    .join(', ');
  return `## A worked example

Recommendation ${row.recommendation_number}, everyone: ${stances}.

- Those with a view (every stance but no view): ${viewCounts} = ${n}.
- Share supporting: ${plus} ÷ ${n} = ${fig('support_share')}; Wilson interval ${fig('support_low')} to ${fig('support_high')}.
  With z = 1.959964, z² = ${round(Z_95 * Z_95)}: the centre is (${fig('support_share')} + ${round(Z_95 * Z_95)} ÷ ${2 * n}) ÷ (1 + ${round(Z_95 * Z_95)} ÷ ${n}) = ${round(wilsonCentre(plus / n, n))} and the half-width ${round(wilsonHalf(plus / n, n))}.
- Share opposing: ${minus} ÷ ${n} = ${fig('oppose_share')}; Wilson interval ${fig('oppose_low')} to ${fig('oppose_high')}.
- Net support: ${fig('support_share')} − ${fig('oppose_share')} = ${fig('net_support')}; interval ${fig('net_support_low')} to ${fig('net_support_high')}.

The files give every figure in full precision; the pages round them.`;
}

/** The README of the package, its worked example taken from the first row with figures. */
export function readme(consultation: { title: string; slug: string }, aggregates: Row[]) {
  const worked = aggregates.find(
    (r) => r.group === 'all' && r.verified_only === false && r.net_support !== null,
  );
  return `# Open data: ${consultation.title}

The published results of this consultation as files anyone may download, reuse and check.
Every figure on the public results pages can be worked out again from \`aggregates.csv\` with
the method below; \`npm run verify-open-data -- <folder>\` in the platform's code does exactly
that and says whether every figure matches.

Licence: ${LICENCE.name} (${LICENCE.url}).

${DICTIONARY}

${METHOD}

${example(worked)}
`;
}
