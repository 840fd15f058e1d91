import { redirect, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { reportComment, getComment } from '~/.server/comments';
import { handler, submitForm } from '~/.server/http';
import { ReportSchema } from '~/lib/schemas/discussion';
import { REPORT_NOTE_MAX, REPORT_REASON_LABELS } from '~/lib/forms/discussion';
import { CharacterCount } from '~/ui/character-count';
import { ErrorSummary, Radios } from '~/ui/form';
import { SubmitButton } from '~/ui/submit-button';
import { REPORT_REASONS } from '~/lib/enums';

export const meta: MetaFunction = () => [{ title: 'Report a comment – Open Consultation' }];

export const loader = handler(async ({ db, viewer, params }) => ({
  comment: await getComment(db, viewer, params.slug!, params.recommendation!, params.commentId!),
  pageHref: `/consultations/${params.slug}/recommendations/${params.recommendation}`,
}));

export const action = handler(async ({ request, db, viewer, params, ctx }) =>
  submitForm(request, ReportSchema, async (input) => {
    await reportComment(db, viewer, params.slug!, params.commentId!, input, ctx);
    return redirect(
      `/consultations/${params.slug}/recommendations/${params.recommendation}?notice=reported#comment-${params.commentId}`,
    );
  }),
);

export default function ReportComment() {
  const { comment, pageHref } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>();
  return (
    <div className="narrow">
      <h1>Report a comment</h1>
      {comment.bodyHtml ? (
        <blockquote
          className="prose quoted-comment"
          dangerouslySetInnerHTML={{ __html: comment.bodyHtml }}
        />
      ) : null}
      {comment.canReport ? (
        <>
          <p>Moderators will review it. If several people report it, it is hidden until they do.</p>
          <ErrorSummary feedback={feedback} labels={{ reason: 'Reason', note: 'Note' }} />
          <Form method="post" className="form" noValidate>
            <Radios
              name="reason"
              legend="What is wrong with this comment?"
              feedback={feedback}
              options={REPORT_REASONS.map((value) => ({
                value,
                label: REPORT_REASON_LABELS[value],
              }))}
            />
            <CharacterCount
              name="note"
              label="Anything the moderators should know (needed for “Something else”)"
              max={REPORT_NOTE_MAX}
              rows={3}
              feedback={feedback}
            />
            <div className="button-row">
              <SubmitButton pendingText="Sending…">Send report</SubmitButton>
              <Link to={`${pageHref}#comment-${comment.id}`}>Cancel</Link>
            </div>
          </Form>
        </>
      ) : (
        <p>
          {comment.isOwn
            ? 'You cannot report your own comment.'
            : 'This comment cannot be reported.'}{' '}
          <Link to={pageHref}>Back to the recommendation</Link>
        </p>
      )}
    </div>
  );
}
