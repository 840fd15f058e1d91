import type { Transaction } from 'kysely';
import type { DB, ModerationAction } from '#db/schema';
import { notify } from '../notifications';
import type { Staff } from './access';
import { becauseOf } from './appeals';
import type { Plan } from './decisions';
import type { ItemState } from './items';
import * as q from './queries';

// What a decision tells people: its author (every decision), and the organisers (escalations).

/** Tells the author what was decided on their item, and how to ask for a review. */
export async function messageAuthor(
  trx: Transaction<DB>,
  item: ItemState,
  action: ModerationAction,
  p: Plan,
  slug: string,
  decision: { id: string; reports: number },
) {
  const rec = await q.findRecommendation(trx, item.recommendationId);
  const where = `recommendation ${rec.number}, “${rec.title}”`;
  const what = item.type === 'comment' ? 'Your comment' : 'Your reasons';
  const link =
    item.type === 'comment'
      ? `/consultations/${slug}/recommendations/${rec.slug}#comment-${item.commentId}`
      : '/account/responses';
  const because = becauseOf(p.reason);
  // Says who started it: readers' reports (with how many) or a moderator on their own.
  const hidBy =
    decision.reports > 0
      ? `Readers reported your comment on ${where} (${decision.reports} ${decision.reports === 1 ? 'report' : 'reports'}) and a moderator hid it${because}.`
      : `A moderator hid your comment on ${where}${because}.`;
  const appealable = action === 'hide' || action === 'redact';
  const review = appealable
    ? ' If you think this is wrong, you can ask for a review from your messages.'
    : '';
  const note = p.note ? `\n\nNote from the moderator: ${p.note}` : '';
  const messages: Record<ModerationAction, { subject: string; body: string }> = {
    approve: {
      subject: `${what} on ${where} was approved`,
      body:
        item.type === 'comment'
          ? `A moderator reviewed your comment on ${where}. It is published.`
          : `A moderator reviewed the reasons you gave on ${where}. They may be quoted in the results, as your publishing choice allows.`,
    },
    hide: {
      subject: `${what} on ${where} was hidden`,
      body:
        item.type === 'comment'
          ? `${hidBy} It stays in the thread as hidden and is not deleted.${review}`
          : `A moderator hid the reasons you gave on ${where}${because}. Your response still counts; only the public text is hidden.${review}`,
    },
    restore: {
      subject: `${what} on ${where} is visible again`,
      body: `A moderator reviewed ${item.type === 'comment' ? 'your comment' : 'the reasons you gave'} on ${where} again and restored it.`,
    },
    redact: {
      subject: `A moderator edited your comment on ${where}`,
      body: `A moderator removed part of your comment on ${where}${because}. The rest of your comment is unchanged.${review}`,
    },
    escalate: {
      subject: `${what} on ${where} is with the organisers`,
      body: `A moderator asked the organisers of this consultation to review ${item.type === 'comment' ? 'your comment' : 'the reasons you gave'} on ${where}. You will get a message when they decide.`,
    },
    undo: {
      subject: `A moderation decision on ${where} was reversed`,
      body: `A moderator reversed an earlier decision on ${item.type === 'comment' ? 'your comment' : 'the reasons you gave'} on ${where}. It is back as it was before that decision.`,
    },
  };
  const m = messages[action];
  // An author who deleted their account has nobody left to tell.
  if (!item.authorId) return;
  await notify(trx, {
    userId: item.authorId,
    kind: `moderation.${item.type}.${action}`,
    subject: subjectLine(m.subject),
    body: m.body + note,
    link,
    appealDecisionId: appealable ? decision.id : null,
  });
}

/** Message subjects hold 200 characters; long titles are shortened, never refused. */
function subjectLine(text: string) {
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

/** An escalation reaches the organisers of the consultation (not the one escalating). */
export async function messageOrganisers(
  trx: Transaction<DB>,
  staff: Staff,
  item: ItemState,
  note: string | null,
) {
  const organisers = await q.listOrganiserIds(trx, staff.consultation.id, staff.viewer.id);
  for (const { user_id } of organisers) {
    await notify(trx, {
      userId: user_id,
      kind: `moderation.${item.type}.escalated_to_you`,
      subject: subjectLine(
        `A ${item.type === 'comment' ? 'comment' : 'quote'} on “${staff.consultation.title}” needs an organiser’s decision`,
      ),
      body: `${staff.viewer.displayName} escalated it for you to decide.${note ? `\n\nTheir note: ${note}` : ''}`,
      link: `/moderation/${staff.consultation.slug}/items/${item.ref}`,
    });
  }
}
