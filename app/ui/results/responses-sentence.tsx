import { formatCount } from '~/lib/results/format';
import type { Group } from '~/lib/results/view';

const NOUNS: Record<Exclude<Group, 'all'>, [string, string]> = {
  founder: ['founder', 'founders'],
  investor: ['investor', 'investors'],
  other: ['other respondent', 'other respondents'],
};

/** "1,204 responses: 612 founders, 410 investors and 182 others." with hidden groups said so. */
export function ResponsesSentence({
  responses,
  verifiedOnly,
}: {
  responses: { group: Group; responses: number | null }[];
  verifiedOnly: boolean;
}) {
  const total = responses.find((r) => r.group === 'all')?.responses ?? null;
  const parts = responses
    .filter((r): r is typeof r & { group: Exclude<Group, 'all'> } => r.group !== 'all')
    .map((r) =>
      r.responses === null
        ? `fewer than 5 ${NOUNS[r.group][1]} (not shown)`
        : `${formatCount(r.responses)} ${NOUNS[r.group][r.responses === 1 ? 0 : 1]}`,
    );
  const kind = verifiedOnly ? 'verified responses' : 'responses';
  const list = `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return (
    <p className="lead">
      {total === null
        ? `Fewer than 5 ${kind} so far.`
        : `${formatCount(total)} ${total === 1 ? kind.replace(/s$/, '') : kind}: ${list}.`}
    </p>
  );
}
