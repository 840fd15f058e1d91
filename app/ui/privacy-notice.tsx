import { DELETION_POLICY_LABELS, formatMonths, type PrivacyNotice } from '~/lib/privacy';

/** A privacy notice as a definition list: the same parts for the site and each consultation. */
export function PrivacyNoticeDetails({ notice }: { notice: PrivacyNotice }) {
  return (
    <dl className="summary-list">
      <div className="summary-list__row">
        <dt className="summary-list__key">Who runs it and is responsible for your data</dt>
        <dd className="summary-list__value">{notice.controller}</dd>
      </div>
      <div className="summary-list__row">
        <dt className="summary-list__key">Why we may use your data (lawful basis)</dt>
        <dd className="summary-list__value">{notice.lawfulBasis}</dd>
      </div>
      <div className="summary-list__row">
        <dt className="summary-list__key">What is published</dt>
        <dd className="summary-list__value">{notice.published}</dd>
      </div>
      <div className="summary-list__row">
        <dt className="summary-list__key">How long it is kept</dt>
        <dd className="summary-list__value">
          {formatMonths(notice.retentionMonths)} after the consultation closes. Then responses are
          anonymised, comments lose their author&apos;s name and endorsements are removed, leaving
          only the totals.
        </dd>
      </div>
      <div className="summary-list__row">
        <dt className="summary-list__key">If you delete your account</dt>
        <dd className="summary-list__value">{DELETION_POLICY_LABELS[notice.deletionPolicy]}.</dd>
      </div>
      <div className="summary-list__row">
        <dt className="summary-list__key">Contact</dt>
        <dd className="summary-list__value">
          {notice.contactEmail ? (
            <a href={`mailto:${notice.contactEmail}`}>{notice.contactEmail}</a>
          ) : (
            'No contact address has been published yet; see the contact page.'
          )}
        </dd>
      </div>
    </dl>
  );
}
