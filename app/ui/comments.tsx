import { Link } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { formatUkDateTime } from '~/lib/dates';
import { SEGMENT_LABELS } from '~/lib/forms/accounts';
import { COMMENT_MAX } from '~/lib/forms/discussion';
import { CharacterCount } from './character-count';
import type { FormFeedback } from './form';
import { IdempotencyKeyInput } from './idempotency-key';

/** What the page needs of a comment (the server's CommentView, as it arrives in the browser). */
export type CommentItem = {
  id: string;
  depth: number;
  status: string;
  bodyHtml: string | null;
  author: {
    displayName: string;
    segment: 'founder' | 'investor' | 'other';
    verified: boolean;
  } | null;
  notice: string | null;
  createdAt: Date | string;
  editedAt: Date | string | null;
  helpfulCount: number;
  viewerVoted: boolean;
  viewerReported: boolean;
  canEdit: boolean;
  canDelete: boolean;
  canVote: boolean;
  canReport: boolean;
  canReply: boolean;
  replies: CommentItem[];
  omittedReplies: number;
};

/** A reply box's id: several can share a page with the main comment box. */
export function replyFieldId(parentId: string) {
  return `reply-body-${parentId}`;
}

/** The box for a new comment or a reply; the parent's id rides along for a reply. */
export function CommentForm({
  action,
  parentId,
  feedback,
  label,
  idempotencyKey,
}: {
  action: string;
  parentId?: string;
  feedback?: FormFeedback | undefined;
  label: string;
  /** The page's key: the server tells a reply's use of it apart by the parent. */
  idempotencyKey: string;
}) {
  const name = 'body';
  return (
    <Form method="post" action={action} className="form comment-form" noValidate>
      <input type="hidden" name="intent" value="comment" />
      <IdempotencyKeyInput value={idempotencyKey} />
      {parentId ? <input type="hidden" name="parentId" value={parentId} /> : null}
      <CharacterCount
        name={name}
        id={parentId ? replyFieldId(parentId) : undefined}
        label={label}
        hint="Links, *emphasis*, **bold** and lists work. Be specific and respectful: comments are public."
        max={COMMENT_MAX}
        rows={parentId ? 4 : 5}
        feedback={feedback}
      />
      <button type="submit" className="button">
        {parentId ? 'Post reply' : 'Post comment'}
      </button>
    </Form>
  );
}

function Byline({ comment }: { comment: CommentItem }) {
  if (!comment.author) return null;
  return (
    <p className="comment__byline">
      <strong>{comment.author.displayName}</strong>
      <span className="comment__segment"> · {SEGMENT_LABELS[comment.author.segment]}</span>
      {comment.author.verified ? <span className="badge">Verified</span> : null}
      <span className="comment__time">
        {' · '}
        <time dateTime={new Date(comment.createdAt).toISOString()}>
          {formatUkDateTime(comment.createdAt)}
        </time>
        {comment.editedAt ? ' · edited' : null}
      </span>
    </p>
  );
}

/**
 * One comment and its replies. Every action is a link or a small form that works without
 * JavaScript and brings the reader back to this comment.
 */
export function CommentThread({
  comment,
  pageHref,
  replyTo,
  replyFeedback,
  idempotencyKey,
}: {
  comment: CommentItem;
  pageHref: string;
  replyTo: string | null;
  replyFeedback?: FormFeedback | undefined;
  idempotencyKey: string;
}) {
  const commentHref = `${pageHref}/comments/${comment.id}`;
  return (
    <li className={`comment comment--depth-${comment.depth}`}>
      <article
        id={`comment-${comment.id}`}
        aria-label={comment.author ? `Comment by ${comment.author.displayName}` : 'Comment'}
      >
        <Byline comment={comment} />
        {comment.notice ? <p className="comment__notice">{comment.notice}</p> : null}
        {comment.bodyHtml ? (
          <div
            className="comment__body prose"
            dangerouslySetInnerHTML={{ __html: comment.bodyHtml }}
          />
        ) : null}
        <div className="comment__actions">
          {comment.status === 'visible' ? (
            <span className="comment__helpful">{comment.helpfulCount} found this helpful</span>
          ) : null}
          {comment.canVote ? (
            <Form method="post" action={pageHref} className="inline-form">
              <input type="hidden" name="commentId" value={comment.id} />
              <button
                type="submit"
                name="intent"
                value={comment.viewerVoted ? 'unvote' : 'vote'}
                className="link-button"
                aria-pressed={comment.viewerVoted}
              >
                Helpful
              </button>
            </Form>
          ) : null}
          {comment.canReply ? (
            <Link to={`?replyTo=${comment.id}#reply-${comment.id}`} preventScrollReset>
              Reply
            </Link>
          ) : null}
          {comment.canEdit ? <Link to={`${commentHref}/edit`}>Edit</Link> : null}
          {comment.canDelete ? <Link to={`${commentHref}/delete`}>Delete</Link> : null}
          {comment.canReport ? <Link to={`${commentHref}/report`}>Report</Link> : null}
          {comment.viewerReported ? <span>You reported this comment</span> : null}
        </div>
        {replyTo === comment.id && comment.canReply ? (
          <div id={`reply-${comment.id}`} className="comment__reply">
            <CommentForm
              action={pageHref}
              parentId={comment.id}
              feedback={replyFeedback}
              label={`Your reply to ${comment.author?.displayName ?? 'this comment'}`}
              idempotencyKey={idempotencyKey}
            />
          </div>
        ) : null}
      </article>
      {comment.replies.length ? (
        <ul className="comments comments--replies">
          {comment.replies.map((reply) => (
            <CommentThread
              key={reply.id}
              comment={reply}
              pageHref={pageHref}
              replyTo={replyTo}
              replyFeedback={replyFeedback}
              idempotencyKey={idempotencyKey}
            />
          ))}
        </ul>
      ) : null}
      {comment.omittedReplies > 0 ? (
        <p className="muted">{comment.omittedReplies} more replies are not shown.</p>
      ) : null}
    </li>
  );
}
