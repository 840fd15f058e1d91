import type { ReactNode } from 'react';
import type { Phase } from '~/lib/phase';
import { ErrorSummary, type FormFeedback } from '~/ui/form';
import { IdempotencyKeyInput } from '~/ui/idempotency-key';
import { Form } from '~/ui/post-form';
import { NotOpenNotice } from '~/ui/questionnaire';
import { SubmitButton } from '~/ui/submit-button';

/** What a step's fields show: the refused post, else what was typed before a session ended. */
export function stepFeedback(
  actionData: FormFeedback | undefined,
  parked: Record<string, string> | null,
): FormFeedback | undefined {
  return actionData ?? (parked ? { values: parked } : undefined);
}

/**
 * The part every question step shares below its heading: the notice instead of the form when
 * the consultation is not open; otherwise the notice of a page kept across a lost session, the
 * error summary and the form, with its key and its "Save and continue" button.
 */
export function QuestionStepForm({
  consultation,
  parked,
  feedback,
  labels,
  idempotencyKey,
  intro,
  after,
  children,
}: {
  consultation: {
    slug: string;
    phase: Phase;
    opensAt: Date | string | null;
    closesAt: Date | string | null;
  };
  parked: Record<string, string> | null;
  feedback: FormFeedback | undefined;
  labels: Record<string, string>;
  idempotencyKey: string;
  /** Shown above the form while the consultation is open. */
  intro?: ReactNode;
  /** Shown below the form while the consultation is open. */
  after?: ReactNode;
  children: ReactNode;
}) {
  if (consultation.phase !== 'open') return <NotOpenNotice consultation={consultation} />;
  return (
    <>
      {intro}
      {parked ? (
        <div className="notice" role="status">
          <p>
            You were signed out before this page was saved. We kept what you typed: check it, then
            save.
          </p>
        </div>
      ) : null}
      <ErrorSummary feedback={feedback} labels={labels} />
      <Form method="post" className="form" noValidate>
        <IdempotencyKeyInput value={idempotencyKey} />
        {children}
        <SubmitButton pendingText="Saving…">Save and continue</SubmitButton>
      </Form>
      {after}
    </>
  );
}
