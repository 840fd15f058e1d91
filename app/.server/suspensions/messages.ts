import { formatUkDateTime } from '~/lib/dates';

export function untilText(endsAt: Date | null) {
  return endsAt ? `until ${formatUkDateTime(endsAt)}` : 'until the organisers lift it';
}

/** What a suspended person reads when they try to take part. */
export function suspendedMessage(suspension: { reason: string; ends_at: Date | null }) {
  return `Your account is suspended ${untilText(suspension.ends_at)}, so you cannot respond, comment, reply, endorse, mark comments helpful or report them. You can still read everything. The reason the organisers gave: "${suspension.reason}". What you typed has not been sent; it is kept below.`;
}
