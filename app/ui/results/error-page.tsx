import { isRouteErrorResponse, Link, useParams, useRouteError } from '@remix-run/react';
import type { ResultsQueryOption } from '~/lib/schemas/results';

type ErrorData = { message?: string | null; options?: ResultsQueryOption[] };

/**
 * The results pages' own error page: "not public yet" says when they will be, and a malformed
 * query string lists the options that do work. Anything else reads like the site's error page
 * (a route's error page cannot hand an error back to the root's).
 */
export function ResultsErrorPage() {
  const error = useRouteError();
  const { slug } = useParams();
  if (!isRouteErrorResponse(error)) {
    return (
      <div className="narrow">
        <h1>Sorry, there is a problem with the service</h1>
        <p>Try again later. Nothing you already saved has been lost.</p>
        <p>
          <Link to="/">Go to the home page</Link>
        </p>
      </div>
    );
  }
  const data = (typeof error.data === 'object' && error.data ? error.data : {}) as ErrorData;
  const back = slug ? (
    <p>
      <Link to={`/consultations/${slug}`}>Go to the consultation</Link>
    </p>
  ) : null;
  if (error.status === 403) {
    return (
      <div className="narrow">
        <h1>These results are not public yet</h1>
        {data.message ? <p className="lead">{data.message}</p> : null}
        <p>
          The organiser decides whether results can be seen while a consultation is open. Until
          then, you can read the recommendations and give your own view.
        </p>
        {back}
      </div>
    );
  }
  if (error.status === 400 && data.options) {
    return (
      <div className="narrow">
        <h1>We could not read that address</h1>
        {data.message ? <p className="lead">{data.message}</p> : null}
        <p>These are the options this page understands:</p>
        <dl className="facts">
          {data.options.map((option) => (
            <div key={option.name} style={{ display: 'contents' }}>
              <dt>
                <code>{option.name}</code>
              </dt>
              <dd>
                {option.values.map((v, i) => (
                  <span key={v}>
                    {i > 0 ? ', ' : ''}
                    <code>{v}</code>
                  </span>
                ))}{' '}
                – {option.meaning}
              </dd>
            </div>
          ))}
        </dl>
        {slug ? (
          <p>
            <Link to={`/consultations/${slug}/results`}>Go to the results</Link>
          </p>
        ) : null}
      </div>
    );
  }
  const notFound = error.status === 404;
  return (
    <div className="narrow">
      <h1>{notFound ? 'Page not found' : 'Something went wrong'}</h1>
      {data.message ? <p className="lead">{data.message}</p> : null}
      <p>
        {notFound
          ? 'If you typed the web address, check it is correct. If you pasted it, check you copied the entire address.'
          : 'Go back and try again.'}
      </p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </div>
  );
}
