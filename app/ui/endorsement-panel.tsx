import { Link, useFetcher } from '@remix-run/react';
import { SEGMENT_LABELS } from '~/lib/forms/accounts';
import { IdempotencyKeyInput } from './idempotency-key';
import { FormToken } from './post-form';

export type EndorsementPanelData = {
  total: number;
  bySegment: { founder: number; investor: number; other: number };
  viewerEndorsement: { onBehalfOfOrganisation: boolean; showName: boolean } | null;
  canEndorse: boolean;
};

/**
 * Endorse or withdraw. Without JavaScript it is a plain form (POST, redirect, back here); with
 * it, a fetcher posts in the background and the count moves at once, trusting the server to
 * agree (it is idempotent, so a double click cannot count twice).
 */
export function EndorsementPanel({
  data,
  signedIn,
  pageHref,
  idempotencyKey,
}: {
  data: EndorsementPanelData;
  signedIn: boolean;
  /** The recommendation's page: its action takes the form, and the endorsers list hangs off it. */
  pageHref: string;
  /** The page's key; endorsing and withdrawing are told apart by the server. */
  idempotencyKey: string;
}) {
  const fetcher = useFetcher();
  const pendingIntent = fetcher.formData?.get('intent');
  const endorsed = pendingIntent ? pendingIntent === 'endorse' : !!data.viewerEndorsement;
  const delta = endorsed === !!data.viewerEndorsement ? 0 : endorsed ? 1 : -1;
  const total = data.total + delta;
  return (
    <section className="panel endorse" aria-labelledby="endorse-heading" id="endorsements">
      <h2 id="endorse-heading">Endorsements</h2>
      <p className="endorse__count" aria-live="polite">
        <strong>{total.toLocaleString('en-GB')}</strong>{' '}
        {total === 1 ? 'person has' : 'people have'} endorsed this recommendation
      </p>
      <ul className="endorse__segments">
        {(Object.keys(data.bySegment) as (keyof typeof data.bySegment)[]).map((segment) => (
          <li key={segment}>
            {SEGMENT_LABELS[segment]}: {data.bySegment[segment].toLocaleString('en-GB')}
          </li>
        ))}
      </ul>
      {!data.canEndorse ? (
        <p>Endorsing is open while the consultation is open.</p>
      ) : !signedIn ? (
        <p>
          <Link to={`/login?redirectTo=${encodeURIComponent(pageHref)}`}>Sign in to endorse</Link>
        </p>
      ) : endorsed ? (
        <fetcher.Form method="post" action={pageHref}>
          <p>You endorse this recommendation.</p>
          <input type="hidden" name="intent" value="withdraw" />
          <IdempotencyKeyInput value={idempotencyKey} />
          <FormToken />
          <button type="submit" className="button button--secondary">
            Withdraw my endorsement
          </button>
        </fetcher.Form>
      ) : (
        <fetcher.Form method="post" action={pageHref}>
          <input type="hidden" name="intent" value="endorse" />
          <IdempotencyKeyInput value={idempotencyKey} />
          <FormToken />
          {/* Unticked until the person ticks it: showing a name is their active choice. */}
          <div className="checkbox">
            <input type="checkbox" id="showName" name="showName" aria-describedby="showName-hint" />
            <label htmlFor="showName">Show my name in the public list of endorsers</label>
            <p className="field__hint" id="showName-hint">
              Leave this unticked and your endorsement is counted without your name: the public list
              shows only how many people endorsed it. Tick it and your name appears in that list.
            </p>
          </div>
          <div className="checkbox">
            <input type="checkbox" id="onBehalfOfOrganisation" name="onBehalfOfOrganisation" />
            <label htmlFor="onBehalfOfOrganisation">
              On behalf of my organisation (shown once your organisation is verified)
            </label>
          </div>
          <button type="submit" className="button">
            Endorse this recommendation
          </button>
        </fetcher.Form>
      )}
      <p>
        <Link to={`${pageHref}/endorsers`}>See who endorsed it</Link>
      </p>
    </section>
  );
}
