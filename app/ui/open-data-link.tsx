import { Link } from '@remix-run/react';

/** "Download the data" under a results or summary page, to the consultation's open data. */
export function OpenDataLink({ slug }: { slug: string }) {
  return (
    <section className="open-data-link" aria-labelledby="open-data-title">
      <h2 id="open-data-title">Download the data</h2>
      <p>
        Every figure here can be checked: the counts behind them and the published responses, as CSV
        and JSON files or one ZIP, with a README on the method.{' '}
        <Link to={`/consultations/${slug}/data`}>Download the data</Link>
      </p>
    </section>
  );
}
