import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { listComments, postComment, unvoteHelpful, voteHelpful } from '~/.server/comments';
import { getRecommendation } from '~/.server/consultations';
import { endorse, getEndorsementSummary, withdrawEndorsement } from '~/.server/endorsements';
import { handler, submitForm } from '~/.server/http';
import { getHouseRules } from '~/.server/moderation';
import { getResultsAvailability } from '~/.server/results-views';
import { CommentSortSchema } from '~/lib/schemas/discussion';
import { COMMENT_SORTS, COMMENT_SORT_LABELS } from '~/lib/forms/discussion';
import { RecommendationPageSchema } from '~/lib/schemas/recommendation-page';
import { Breadcrumbs } from '~/ui/breadcrumbs';
import { ChangeNotes } from '~/ui/change-notes';
import { CommentForm, CommentThread, replyFieldId } from '~/ui/comments';
import { EndorsementPanel } from '~/ui/endorsement-panel';
import { ErrorSummary } from '~/ui/form';
import { datesSentence } from '~/ui/consultation-card';
import { PhaseTag } from '~/ui/phase-tag';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${data.recommendation.number}. ${data.recommendation.title} – ${data.consultation.title}`
      : 'Open Consultation',
  },
];

export const loader = handler(async ({ db, viewer, params, request }) => {
  const search = new URL(request.url).searchParams;
  const [slug, recommendation] = [params.slug!, params.recommendation!];
  // The page reads three things: the text, its endorsements and its discussion.
  const [page, endorsements, comments, houseRulesHtml, results] = await Promise.all([
    getRecommendation(db, slug, recommendation, viewer),
    getEndorsementSummary(db, viewer, slug, recommendation),
    listComments(db, viewer, slug, recommendation, {
      sort: CommentSortSchema.parse(search.get('sort') ?? undefined),
      cursor: search.get('after'),
    }),
    getHouseRules(db, slug),
    getResultsAvailability(db, viewer, slug),
  ]);
  return {
    ...page,
    endorsements,
    comments,
    houseRulesHtml,
    results,
    signedIn: !!viewer,
    // A fresh key each time the page is shown: the same form sent twice counts once.
    idempotencyKey: crypto.randomUUID(),
  };
});

const NOTICES: Record<string, string> = {
  endorsed: 'Thank you: your endorsement is counted.',
  withdrawn: 'Your endorsement has been withdrawn.',
  posted: 'Your comment is published.',
  held: 'Your comment is held for review: only you can see it until a moderator approves it.',
  repeated: 'You had already posted this comment a moment ago, so it was not added again.',
  deleted: 'Your comment has been deleted.',
  edited: 'Your comment has been changed.',
  reported: 'Thank you: the moderators will look at the comment you reported.',
};

export const action = handler(async ({ request, db, viewer, params, ctx }) =>
  submitForm(request, RecommendationPageSchema, async (input) => {
    const [slug, recommendation] = [params.slug!, params.recommendation!];
    const page = `/consultations/${slug}/recommendations/${recommendation}`;
    switch (input.intent) {
      case 'endorse':
        await endorse(db, viewer, slug, recommendation, input, ctx);
        return redirect(`${page}?notice=endorsed#endorsements`);
      case 'withdraw':
        await withdrawEndorsement(db, viewer, slug, recommendation, ctx, input);
        return redirect(`${page}?notice=withdrawn#endorsements`);
      case 'comment': {
        const posted = await postComment(db, viewer, slug, recommendation, input, ctx);
        const notice = posted.repeated ? 'repeated' : posted.status === 'held' ? 'held' : 'posted';
        return redirect(`${page}?notice=${notice}#comment-${posted.id}`);
      }
      case 'vote':
      case 'unvote': {
        const vote = input.intent === 'vote' ? voteHelpful : unvoteHelpful;
        await vote(db, viewer, slug, input.commentId);
        const sort = new URL(request.url).searchParams.get('sort');
        return redirect(`${page}${sort ? `?sort=${sort}` : ''}#comment-${input.commentId}`);
      }
    }
  }),
);

export default function RecommendationPage() {
  const {
    consultation: c,
    recommendation: r,
    total,
    previous,
    next,
    canOrganise,
    endorsements,
    comments,
    houseRulesHtml,
    signedIn,
    results,
    changes,
    idempotencyKey,
  } = useLoaderData<typeof loader>();
  const placeholder = r.state === 'placeholder';
  const feedback = useActionData<typeof action>();
  const [search] = useSearchParams();
  const base = `/consultations/${c.slug}`;
  const pageHref = `${base}/recommendations/${r.slug}`;
  const notice = NOTICES[search.get('notice') ?? ''];
  const replyTo = search.get('replyTo') ?? (feedback?.values?.parentId || null);
  const newCommentFeedback =
    feedback?.values?.intent === 'comment' && !feedback.values.parentId ? feedback : undefined;
  const replyFeedback =
    feedback?.values?.intent === 'comment' && feedback.values.parentId ? feedback : undefined;
  return (
    <>
      <Breadcrumbs
        items={[
          { to: '/consultations', label: 'Consultations' },
          { to: base, label: c.title },
        ]}
      />
      <h1>
        <span className="caption">
          Recommendation {r.number} of {total}
        </span>
        {r.title}
      </h1>
      <p className="lead">{r.summary}</p>
      {placeholder ? (
        <div className="notice notice--warning">
          <p>
            <strong>Not yet open for comment: the source does not name this reform.</strong> It
            cannot be answered, commented on or endorsed until an organiser names it.
          </p>
        </div>
      ) : null}
      <ChangeNotes notes={changes} />
      {notice && !feedback ? (
        <div className="notice notice--success" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      <ErrorSummary
        feedback={feedback}
        labels={{ body: 'Comment' }}
        anchors={replyFeedback && replyTo ? { body: replyFieldId(replyTo) } : {}}
      />
      <div className="grid grid--main-aside">
        <div className="prose" dangerouslySetInnerHTML={{ __html: r.rationaleHtml }} />
        <div className="aside-stack">
          <aside className="panel" aria-labelledby="status-heading">
            <h2 id="status-heading">Status</h2>
            <p>
              <PhaseTag phase={c.phase} />
            </p>
            <p>{datesSentence(c)}.</p>
            {c.phase === 'open' && !placeholder ? (
              <p>
                <Link to={`${base}/respond/recommendations/${r.slug}`} className="button">
                  Give your view
                </Link>
              </p>
            ) : null}
            {placeholder ? null : results.readable ? (
              <p>
                <Link to={`${pageHref}/results`}>
                  See the results for this recommendation
                  {results.notPublicYet ? ' (organiser preview)' : ''}
                </Link>
              </p>
            ) : (
              <p>{results.notPublicYet}</p>
            )}
            {c.publishedSummary && !placeholder ? (
              <p>
                <Link to={`${base}/summary/recommendations/${r.slug}`}>
                  What the organisers heard and did about this recommendation
                </Link>
              </p>
            ) : null}
            <p>
              <Link to={base}>All recommendations in this consultation</Link>
            </p>
            {canOrganise ? (
              <p>
                <Link to={`/organise/${c.slug}/recommendations/${r.slug}`}>
                  Edit this recommendation
                </Link>
              </p>
            ) : null}
          </aside>
          {placeholder ? null : (
            <EndorsementPanel
              data={endorsements}
              signedIn={signedIn}
              pageHref={pageHref}
              idempotencyKey={idempotencyKey}
            />
          )}
        </div>
      </div>

      <section className="discussion" aria-labelledby="discussion-heading" id="discussion">
        <h2 id="discussion-heading">
          Discussion ({comments.visibleCount.toLocaleString('en-GB')}{' '}
          {comments.visibleCount === 1 ? 'comment' : 'comments'})
        </h2>
        {houseRulesHtml ? (
          <aside className="house-rules" aria-labelledby="house-rules-heading">
            <h3 id="house-rules-heading">House rules</h3>
            <div className="prose" dangerouslySetInnerHTML={{ __html: houseRulesHtml }} />
          </aside>
        ) : null}
        {placeholder ? (
          <p>This recommendation is not yet open for comment.</p>
        ) : comments.canComment ? (
          <CommentForm
            action={pageHref}
            feedback={newCommentFeedback}
            label="Add a comment"
            idempotencyKey={idempotencyKey}
          />
        ) : c.phase !== 'open' ? (
          <p>Commenting is open while the consultation is open.</p>
        ) : (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(`${pageHref}#discussion`)}`}>
              Sign in to comment
            </Link>
          </p>
        )}
        <nav aria-label="Sort comments">
          <ul className="sort-links">
            {COMMENT_SORTS.map((sort) => (
              <li key={sort}>
                <Link
                  to={`?sort=${sort}#discussion`}
                  aria-current={comments.sort === sort ? 'page' : undefined}
                  preventScrollReset
                >
                  {COMMENT_SORT_LABELS[sort]}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {comments.comments.length ? (
          <ul className="comments">
            {comments.comments.map((comment) => (
              <CommentThread
                key={comment.id}
                comment={comment}
                pageHref={pageHref}
                replyTo={replyTo}
                replyFeedback={replyFeedback}
                idempotencyKey={idempotencyKey}
              />
            ))}
          </ul>
        ) : (
          <p>No comments yet.</p>
        )}
        {comments.nextCursor ? (
          <p>
            <Link
              to={`?sort=${comments.sort}&after=${encodeURIComponent(comments.nextCursor)}#discussion`}
            >
              More comments
            </Link>
          </p>
        ) : null}
      </section>
      <nav className="pager" aria-label="Recommendations">
        {previous ? (
          <Link to={`${base}/recommendations/${previous.slug}`} rel="prev">
            <span className="pager__label">‹ Previous: recommendation {previous.number}</span>
            {previous.title}
          </Link>
        ) : (
          <span />
        )}
        {next ? (
          <Link to={`${base}/recommendations/${next.slug}`} rel="next">
            <span className="pager__label">Next: recommendation {next.number} ›</span>
            {next.title}
          </Link>
        ) : null}
      </nav>
    </>
  );
}
