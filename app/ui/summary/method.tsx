import { plural } from '~/lib/plural';
import { formatUkDateTime } from '~/lib/dates';
import type { SummarySnapshot } from '~/lib/summary-snapshot';

/** How the figures and quotes of a summary were made, in plain words, printed with it. */
export function SummaryMethod({
  snapshot,
  preview,
}: {
  snapshot: SummarySnapshot;
  preview: boolean;
}) {
  const threshold = snapshot.method.smallGroupThreshold;
  const moderated = snapshot.method.moderated;
  return (
    <section id="method" className="summary-method" aria-labelledby="method-title">
      <h2 id="method-title">How these figures were made</h2>
      <p>
        <strong>Who is counted.</strong> Every submitted response counts once (a withdrawn one does
        not), including those whose authors asked us not to publish their words. Each respondent
        said whether they are a founder, an investor or someone else, and the figures are given for
        everyone and for each group. <em>n</em> is the number of people a figure is based on.
      </p>
      <p>
        <strong>Net support</strong> is the share of people who support a recommendation (strongly
        or not) minus the share who oppose it, among those with a view. It runs from −100 (everyone
        opposes) to +100 (everyone supports). “No view” answers are left out; “neither support nor
        oppose” counts as a view. <strong>The 95% interval</strong> beside it shows how far the
        figure could move by chance alone (Wilson score intervals for the shares, combined for net
        support with MOVER-Wilson); where two intervals overlap, the difference may be chance.
        Importance is the mean of answers from 1 (not important) to 5 (extremely important).
      </p>
      <p>
        <strong>Small groups are not shown.</strong> Where fewer than {threshold} people in a group
        answered, their figures are withheld, with another group where needed so that they cannot be
        worked out by subtraction. Such figures cannot be cited either.
      </p>
      <p>
        <strong>Quotes only with consent.</strong> Reasons are quoted only from people who chose to
        have their response published: by name, or anonymously (then only as “a founder”, “an
        investor” or “a respondent”). Public comments are quoted under the name they were posted
        with. Nothing held for review or hidden by a moderator is quoted, and reasons hidden by
        moderators are left out of the themes.
        {moderated ? (
          <>
            {' '}
            {preview ? 'As things stand now' : 'When this version was published'},{' '}
            {plural(moderated.reasonsHeld, 'quotable reason was', 'quotable reasons were')} waiting
            for a moderator and {plural(moderated.reasonsHidden, 'was', 'were')} hidden;{' '}
            {plural(moderated.commentsHeld, 'comment was', 'comments were')} held for review and{' '}
            {plural(moderated.commentsHidden, 'was', 'were')} hidden, for breaking the house rules
            (each decision and its reason is in the moderators’ log). The answers behind held or
            hidden reasons still count in the figures; only their words are left out.
          </>
        ) : null}
      </p>
      <p>
        <strong>Frozen when published.</strong>{' '}
        {preview
          ? 'When this summary is published, every figure and quote in it is frozen with the time and a content hash.'
          : `Every figure and quote above was frozen when this version was published, on ${formatUkDateTime(snapshot.publishedAt)} (UK time). Later changes to responses, publishing choices or moderation do not change it; a correction is published as a new version with a note saying what changed, and earlier versions stay readable. The content hash is the SHA-256 of the version’s canonical JSON (keys sorted, no spaces), so anyone holding a copy can check it is unchanged.`}
      </p>
    </section>
  );
}
