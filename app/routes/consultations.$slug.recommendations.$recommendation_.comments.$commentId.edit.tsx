import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { editComment, getComment } from '~/.server/comments';
import { handler, submitForm } from '~/.server/http';
import { EditCommentSchema } from '~/lib/schemas/discussion';
import { COMMENT_EDIT_MINUTES, COMMENT_MAX } from '~/lib/forms/discussion';
import { CharacterCount } from '~/ui/character-count';
import { ErrorSummary } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';

export const meta: MetaFunction = () => [{ title: 'Edit your comment – Open Consultation' }];

export const loader = handler(async ({ db, viewer, params }) => ({
  comment: await getComment(db, viewer, params.slug!, params.recommendation!, params.commentId!),
  pageHref: `/consultations/${params.slug}/recommendations/${params.recommendation}`,
}));

export const action = handler(async ({ request, db, viewer, params }) =>
  submitForm(request, EditCommentSchema, async (input) => {
    const edited = await editComment(db, viewer, params.slug!, params.commentId!, input);
    const notice = edited.status === 'held' ? 'held' : 'edited';
    return redirect(
      `/consultations/${params.slug}/recommendations/${params.recommendation}?notice=${notice}#comment-${edited.id}`,
    );
  }),
);

export default function EditComment() {
  const { comment, pageHref } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  return (
    <div className="narrow">
      <h1>Edit your comment</h1>
      {comment.canEdit ? (
        <>
          <p>
            You can change a comment for {COMMENT_EDIT_MINUTES} minutes after posting it. It will
            show as edited.
          </p>
          <ErrorSummary feedback={feedback} labels={{ body: 'Your comment' }} />
          <Form method="post" className="form" noValidate>
            <CharacterCount
              name="body"
              label="Your comment"
              max={COMMENT_MAX}
              rows={6}
              feedback={feedback}
              defaultValue={comment.body}
            />
            <div className="button-row">
              <SubmitButton pendingText="Saving…">Save changes</SubmitButton>
              <Link to={`${pageHref}#comment-${comment.id}`}>Cancel</Link>
            </div>
          </Form>
        </>
      ) : (
        <>
          <p>
            This comment can no longer be edited: comments can be changed for {COMMENT_EDIT_MINUTES}{' '}
            minutes after posting, while the consultation is open.
          </p>
          <p>
            <Link to={`${pageHref}#comment-${comment.id}`}>Back to the comment</Link>
          </p>
        </>
      )}
    </div>
  );
}
