import { Link } from '@remix-run/react';
import {
  formatCount,
  formatDecimal,
  formatNet,
  formatNetInterval,
  formatShare,
  toneWords,
} from '~/lib/results/format';
import {
  GROUP_LABELS,
  GROUPS,
  type Group,
  type GroupResult,
  type RecommendationResultsView,
} from '~/lib/results/view';
import { NetSupportChart } from '~/ui/charts/net-support-chart';
import { StanceChart } from '~/ui/charts/stance-chart';
import { ToneChart } from '~/ui/charts/tone-chart';
import { TrendChart } from '~/ui/charts/trend-chart';
import { ScrollRegion } from '~/ui/scroll-region';

const HIDDEN = 'Fewer than 5 responses: not shown, to protect identities';

function KeyFigures({ all }: { all: GroupResult }) {
  if (all.hidden) {
    return (
      <p className="notice">
        Fewer than 5 people have answered on this recommendation, so its figures are not shown yet:
        with so few, a reader could work out how someone answered.
      </p>
    );
  }
  return (
    <ul className="key-figures">
      <li>
        <span className="key-figures__value">{all.net ? formatNet(all.net.value) : '–'}</span>
        <span className="key-figures__label">
          Net support
          {all.net
            ? ` (95% interval ${formatNetInterval(all.net)})`
            : ' (no answers with a view yet)'}
        </span>
      </li>
      <li>
        <span className="key-figures__value">
          {all.support ? formatShare(all.support.value) : '–'}
        </span>
        <span className="key-figures__label">
          support it
          {all.oppose ? `, ${formatShare(all.oppose.value)} oppose` : ''}
          {all.net ? ` (of ${formatCount(all.net.n)} with a view)` : ''}
        </span>
      </li>
      <li>
        <span className="key-figures__value">
          {all.importance ? formatDecimal(all.importance.mean) : '–'}
        </span>
        <span className="key-figures__label">
          Mean importance out of 5
          {all.importance?.sd != null ? ` (sd ${formatDecimal(all.importance.sd)})` : ''}
        </span>
      </li>
      <li>
        <span className="key-figures__value">{formatCount(all.endorsements)}</span>
        <span className="key-figures__label">
          Endorsements, and {formatCount(all.comments)} comments
        </span>
      </li>
    </ul>
  );
}

function ImportanceTable({ groups }: { groups: GroupResult[] }) {
  return (
    <ScrollRegion label="Importance by group (table)" className="results-table">
      <table className="table table--data">
        <caption className="visually-hidden">Importance by group, on a scale of 1 to 5</caption>
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col" className="numeric">
              Mean (1 to 5)
            </th>
            <th scope="col" className="numeric">
              Standard deviation
            </th>
            <th scope="col" className="numeric">
              Answers
            </th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.group}>
              <th scope="row">{g.label}</th>
              {g.hidden ? (
                <td colSpan={3}>{HIDDEN}</td>
              ) : g.importance ? (
                <>
                  <td className="numeric">{formatDecimal(g.importance.mean)}</td>
                  <td className="numeric">
                    {g.importance.sd === null ? '–' : formatDecimal(g.importance.sd)}
                  </td>
                  <td className="numeric">{formatCount(g.importance.n)}</td>
                </>
              ) : (
                <td colSpan={3}>No importance given</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function Themes({ themes }: { themes: RecommendationResultsView['themes'] }) {
  return (
    <div className="themes-grid">
      {themes.map((group) => (
        <section key={group.group} aria-labelledby={`themes-${group.group}`}>
          <h3 id={`themes-${group.group}`}>{GROUP_LABELS[group.group]}</h3>
          {group.themes === null ? (
            <p className="muted">{HIDDEN}</p>
          ) : group.themes.length === 0 ? (
            <p className="muted">No phrase comes up in more than one reason yet.</p>
          ) : (
            <ol className="themes">
              {group.themes.map((theme) => (
                <li key={theme.phrase}>
                  <span className="theme__phrase">“{theme.phrase}”</span>{' '}
                  <span className="muted">
                    in {formatCount(theme.count)} reason{theme.count === 1 ? '' : 's'}
                  </span>
                  {theme.quotes.length ? (
                    <details>
                      <summary>
                        {theme.quotes.length === 1
                          ? 'An example'
                          : `${theme.quotes.length} examples`}
                        <span className="visually-hidden">
                          {' '}
                          of “{theme.phrase}” ({group.label.toLowerCase()})
                        </span>
                      </summary>
                      <ul className="theme__quotes">
                        {theme.quotes.map((quote) => (
                          <li key={quote.id} id={`quote-${group.group}-${quote.id}`}>
                            <blockquote>
                              <p>{quote.text}</p>
                            </blockquote>
                            <footer>
                              {quote.attribution}
                              {quote.stanceLabel ? ` · ${quote.stanceLabel}` : ''}
                            </footer>
                          </li>
                        ))}
                      </ul>
                    </details>
                  ) : null}
                </li>
              ))}
            </ol>
          )}
        </section>
      ))}
    </div>
  );
}

type Detail = NonNullable<RecommendationResultsView['organiser']>;

const ANALYST_ROWS: { label: string; value: (d: Detail, g: Group) => number }[] = [
  { label: 'Stance/tone disagreements', value: (d, g) => d.disagreements[g] },
  { label: 'Reasons not for publication', value: (d, g) => d.unpublished[g].private },
  { label: 'Reasons awaiting moderation', value: (d, g) => d.unpublished[g].pending },
  { label: 'Reasons hidden by moderators', value: (d, g) => d.unpublished[g].hidden },
  { label: 'Comments held for review', value: (d, g) => d.heldComments[g].held },
  { label: 'Comments hidden by moderators', value: (d, g) => d.heldComments[g].hidden },
];

function OrganiserDetail({
  detail,
  consultationSlug,
}: {
  detail: Detail;
  consultationSlug: string;
}) {
  return (
    <section aria-labelledby="analyst-detail">
      <h2 id="analyst-detail">For analysts (not public)</h2>
      <p>
        Figures the public pages never show. A stance/tone disagreement is an answer whose reasons
        read clearly against its stated stance (support in a clearly negative tone, or the reverse):
        worth reading, not a judgement on the respondent.
      </p>
      <ScrollRegion label="Non-public counts by group (table)" className="results-table">
        <table className="table table--data">
          <caption className="visually-hidden">Non-public counts by group</caption>
          <thead>
            <tr>
              <th scope="col">Count</th>
              {GROUPS.map((g) => (
                <th scope="col" key={g} className="numeric">
                  {GROUP_LABELS[g]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ANALYST_ROWS.map((row) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                {GROUPS.map((g) => (
                  <td key={g} className="numeric">
                    {formatCount(row.value(detail, g))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <h3>Recent disagreements</h3>
      {detail.disagreementExamples.length ? (
        <ul className="themes">
          {detail.disagreementExamples.map((example) => (
            <li key={example.id}>
              <blockquote>
                <p>{example.text}</p>
              </blockquote>
              <p className="muted">
                {example.groupLabel} · said “{example.stanceLabel}” · tone{' '}
                {formatDecimal(example.tone, 2)} ({toneWords(example.tone)})
                {example.reference ? (
                  <>
                    {' · '}
                    <Link to={`/organise/${consultationSlug}/responses/${example.reference}`}>
                      Response {example.reference}
                    </Link>
                  </>
                ) : null}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p>No answer reads against its stance.</p>
      )}
    </section>
  );
}

/** Everything about one recommendation's results, for the public page and the dashboard. */
export function RecommendationResults({
  results,
  consultationSlug,
  verifiedOnly,
}: {
  results: RecommendationResultsView;
  consultationSlug: string;
  verifiedOnly: boolean;
}) {
  const all = results.groups.find((g) => g.group === 'all')!;
  const who = verifiedOnly ? ' (verified respondents only)' : '';
  const commentTone = all.commentTone;
  return (
    <>
      <KeyFigures all={all} />
      <div className="consensus" role="note" aria-label="Founders and investors">
        <span className="consensus__verdict">{results.consensus.label}</span>
        <p>{results.consensus.sentence}</p>
      </div>

      <h2 id="views">Views by group</h2>
      <StanceChart
        title={`Stance by group${who}`}
        rows={results.groups.map((g) => ({ key: g.group, label: g.label, counts: g.stance }))}
      />
      <NetSupportChart
        title={`Net support by group${who}`}
        rowHeading="Group"
        rows={results.groups.map((g) => ({
          key: g.group,
          label: g.label,
          net: g.net,
          missing: g.hidden ? 'Fewer than 5 responses: not shown' : undefined,
        }))}
      />

      <h2 id="importance">How important people say it is</h2>
      <ImportanceTable groups={results.groups} />

      <h2 id="tone">Tone of the reasons given</h2>
      <p>
        Each written reason is scored for tone (from −1, clearly negative, to +1, clearly positive)
        when it is submitted. Reasons hidden by moderators are left out.
      </p>
      <ToneChart
        title={`Tone of the reasons by group${who}`}
        rows={results.groups.map((g) => ({ key: g.group, label: g.label, tone: g.tone }))}
      />
      {commentTone && commentTone.n > 0 ? (
        <p>
          The {formatCount(commentTone.n)} public comments on this recommendation read{' '}
          {toneWords(commentTone.mean)} on average (mean tone {formatDecimal(commentTone.mean, 2)}
          ).
        </p>
      ) : null}

      <h2 id="themes">Themes in the reasons</h2>
      <p>
        Phrases that come up in several reasons, most characteristic of this recommendation first.
        Examples are quoted only from people who agreed to be quoted, named or anonymously.
      </p>
      <Themes themes={results.themes} />

      <h2 id="trend">Over time</h2>
      {results.trend.length ? (
        <TrendChart title={`Net support over time${who}`} points={results.trend} />
      ) : (
        <p>Not enough answers yet to show a trend.</p>
      )}

      {results.organiser ? (
        <OrganiserDetail detail={results.organiser} consultationSlug={consultationSlug} />
      ) : null}
    </>
  );
}

/** How the figures are worked out, in plain words, for every results page. */
export function ResultsMethod() {
  return (
    <details className="method">
      <summary>How these figures are worked out</summary>
      <p>
        <strong>Net support</strong> is the share of people who support a recommendation (strongly
        or not) minus the share who oppose it, among those with a view. “No view” answers are left
        out; “neither support nor oppose” answers count as a view. It runs from −100 (everyone
        opposes) to +100 (everyone supports).
      </p>
      <p>
        <strong>95% intervals</strong> show how far the figure could move by chance alone. Shares
        use the Wilson score interval; net support combines the Wilson intervals of the shares
        supporting and opposing, allowing for the fact that they come from the same people
        (MOVER-Wilson). Where intervals overlap, a difference may be chance.
      </p>
      <p>
        <strong>Small groups are not shown.</strong> Where fewer than 5 people in a group have
        answered, their figures are withheld, along with another group where needed so that they
        cannot be worked out by subtracting from the total.
      </p>
      <p>
        <strong>What counts.</strong> Every submitted response counts in the figures, including
        those whose authors asked us not to publish them; their words are never shown. Reasons and
        comments hidden by moderators are left out of tone and themes.
      </p>
    </details>
  );
}
