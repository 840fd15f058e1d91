import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { deleteComment, getComment } from '~/.server/comments';
import { forbidden } from '~/.server/errors';
import { handler } from '~/.server/http';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction = () => [{ title: 'Delete your comment – Open Consultation' }];

export const loader = handler(async ({ db, viewer, params }) => {
  const comment = await getComment(
    db,
    viewer,
    params.slug!,
    params.recommendation!,
    params.commentId!,
  );
  if (!comment.isOwn) throw forbidden('Only its author can delete a comment.');
  return {
    comment,
    pageHref: `/consultations/${params.slug}/recommendations/${params.recommendation}`,
  };
});

export const action = handler(async ({ db, viewer, params }) => {
  await deleteComment(db, viewer, params.slug!, params.commentId!);
  return redirect(
    `/consultations/${params.slug}/recommendations/${params.recommendation}?notice=deleted#discussion`,
  );
});

export default function DeleteComment() {
  const { comment, pageHref } = useLoaderData<typeof loader>();
  return (
    <div className="narrow">
      <h1>Delete your comment?</h1>
      {comment.bodyHtml ? (
        <blockquote
          className="prose quoted-comment"
          dangerouslySetInnerHTML={{ __html: comment.bodyHtml }}
        />
      ) : null}
      {comment.canDelete ? (
        <>
          <p>
            It will be replaced by “This comment was deleted”. Replies to it stay. This cannot be
            undone.
          </p>
          <Form method="post" className="button-row">
            <SubmitButton variant="warning" pendingText="Deleting…">
              Delete comment
            </SubmitButton>
            <Link to={`${pageHref}#comment-${comment.id}`}>Keep it</Link>
          </Form>
        </>
      ) : (
        <p>
          This comment has already been deleted.{' '}
          <Link to={pageHref}>Back to the recommendation</Link>
        </p>
      )}
    </div>
  );
}
