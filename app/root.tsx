import type { LinksFunction, MetaFunction } from '@remix-run/node';
import {
  Link,
  Links,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLocation,
  useNavigationType,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react';
import { Form } from '~/ui/post-form';
import { useEffect, useRef, type ReactNode } from 'react';
import { isSiteOrganiser } from '~/.server/auth';
import { formToken } from '~/.server/form-token';
import { handler } from '~/.server/http';
import { countUnread } from '~/.server/notifications';
import { getMySuspension } from '~/.server/suspensions';
import { formatUkDateTime } from '~/lib/dates';
import type { UnavailableData } from '~/.server/unavailable';
import { useNonce } from '~/ui/nonce';
import { PageTitle } from '~/ui/page-title';
import { RetryForm } from '~/ui/retry-form';
import styles from '~/styles/app.css?url';
import moderationStyles from '~/styles/moderation.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: styles },
  { rel: 'stylesheet', href: moderationStyles },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

const SITE_TITLE = 'Open Consultation';
export const meta: MetaFunction = () => [{ title: SITE_TITLE }];

export const loader = handler(async ({ db, viewer, request }) => ({
  viewer: viewer
    ? {
        displayName: viewer.displayName,
        isOrganiser: isSiteOrganiser(viewer),
        // Any staff grant, site-wide or for one consultation, opens the moderation pages.
        isStaff: viewer.roles.length > 0,
        unread: await countUnread(db, viewer.id),
      }
    : null,
  // Told up front, so a suspended person does not type an answer only to have it refused.
  suspension: await getMySuspension(db, viewer),
  emailUnconfirmed: viewer ? !viewer.emailConfirmed : false,
  formToken: viewer ? formToken(db, request) : null,
}));

function EmailNotice() {
  const unconfirmed = useRouteLoaderData<typeof loader>('root')?.emailUnconfirmed;
  const { pathname } = useLocation();
  if (!unconfirmed || pathname === '/account/confirm-email') return null;
  return (
    <div className="notice notice--warning" role="status">
      <p>
        <strong>Confirm your email address.</strong> Open the link in the email we sent you. Until
        then you cannot submit a response, comment or endorse.{' '}
        <Link to="/account/confirm-email">Send the link again</Link>
      </p>
    </div>
  );
}

function SuspensionNotice() {
  const suspension = useRouteLoaderData<typeof loader>('root')?.suspension;
  if (!suspension) return null;
  return (
    <div className="notice notice--warning" role="status">
      <p>
        <strong>
          Your account is suspended{' '}
          {suspension.endsAt
            ? `until ${formatUkDateTime(suspension.endsAt)}`
            : 'until the organisers lift it'}
          .
        </strong>{' '}
        You can read everything, but you cannot respond, comment, endorse or report comments.
        Reason: {suspension.reason}
      </p>
    </div>
  );
}

function Header() {
  const data = useRouteLoaderData<typeof loader>('root');
  const viewer = data?.viewer ?? null;
  const location = useLocation();
  const here = location.pathname + location.search;
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to="/" className="site-header__brand">
          <svg aria-hidden="true" width="28" height="28" viewBox="0 0 32 32" focusable="false">
            <rect x="2" y="6" width="20" height="14" rx="3" fill="currentColor" />
            <path d="M8 20v6l6-6z" fill="currentColor" />
            <rect
              x="12"
              y="11"
              width="18"
              height="13"
              rx="3"
              fill="#1d70b8"
              stroke="currentColor"
              strokeWidth="2"
            />
          </svg>
          <span>Open Consultation</span>
        </Link>
        <nav aria-label="Main" className="site-header__nav">
          <ul>
            <li>
              <NavLink to="/consultations">Consultations</NavLink>
            </li>
            {viewer?.isOrganiser ? (
              <li>
                <NavLink to="/organise">Organise</NavLink>
              </li>
            ) : null}
            {viewer ? (
              <>
                {viewer.isStaff ? (
                  <li>
                    <NavLink to="/moderation">Moderation</NavLink>
                  </li>
                ) : null}
                <li>
                  <NavLink to="/account/responses">Your responses</NavLink>
                </li>
                <li>
                  <NavLink to="/account/messages">
                    Messages
                    {viewer.unread > 0 ? (
                      <span className="nav-count">
                        {viewer.unread}
                        <span className="visually-hidden"> unread</span>
                      </span>
                    ) : null}
                  </NavLink>
                </li>
                <li className="site-header__who">
                  Signed in as <strong>{viewer.displayName}</strong>
                </li>
                <li>
                  <Form method="post" action="/logout">
                    <button type="submit" className="site-header__link-button">
                      Sign out
                    </button>
                  </Form>
                </li>
              </>
            ) : (
              <>
                <li>
                  <NavLink to={`/login?redirectTo=${encodeURIComponent(here)}`}>Sign in</NavLink>
                </li>
                <li>
                  <NavLink to="/signup">Create an account</NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
      </div>
    </header>
  );
}

/** Every page of a consultation is `/consultations/<slug>` or below it. */
const CONSULTATION_PAGE = /^\/consultations\/([a-z0-9]+(?:-[a-z0-9]+)*)(?:\/|$)/;

function Footer() {
  const consultationSlug = CONSULTATION_PAGE.exec(useLocation().pathname)?.[1];
  return (
    <footer className="site-footer">
      <div className="site-footer__inner">
        <nav aria-label="Site information">
          <ul className="site-footer__links">
            {consultationSlug ? (
              <li>
                <Link to={`/consultations/${consultationSlug}/privacy`}>
                  Privacy notice for this consultation
                </Link>
              </li>
            ) : null}
            <li>
              <Link to="/privacy">Privacy</Link>
            </li>
            <li>
              <Link to="/accessibility">Accessibility statement</Link>
            </li>
            <li>
              <Link to="/contact">Contact</Link>
            </li>
          </ul>
        </nav>
        <p>
          Open Consultation is open source software for public consultations. Responses are handled
          as each consultation&apos;s privacy notice describes.
        </p>
        <p>All times are UK time.</p>
      </div>
    </footer>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <PageTitle fallback={SITE_TITLE} />
        <Links />
      </head>
      <body>
        <a href="#main" className="skip-link">
          Skip to main content
        </a>
        <Header />
        <main id="main" className="page" tabIndex={-1}>
          <SuspensionNotice />
          <EmailNotice />
          {children}
        </main>
        <Footer />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

/**
 * After each client-side navigation, focus goes where a full page load would leave a screen
 * reader: the element the address points at (a new comment), else the page's heading. The
 * error summary focuses itself and is left alone.
 */
function useFocusOnNavigation(key: string, hash: string) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) return;
    const target =
      (hash && document.getElementById(decodeURIComponent(hash.slice(1)))) ||
      document.querySelector<HTMLElement>('main h1');
    if (!target) return;
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus({ preventScroll: !!hash });
  }, [key, hash]);
}

/**
 * Every navigation renders its page afresh, as a full page load would. Without this, React
 * keeps a form's typed values when only the address changes (one question page to the next,
 * or back to the same page after a post), and they would be sent again as the new page's.
 * Following a link to a place on the same page (the skip link, a comment's #anchor) is not a
 * new page: the browser reports it as a POP with the same path and query, and the page is
 * kept, so the focus the link gave is not lost to a remount.
 */
function usePageKey() {
  const location = useLocation();
  const type = useNavigationType();
  const page = location.pathname + location.search;
  const current = useRef({ key: location.key, page });
  if (current.current.key !== location.key && !(type === 'POP' && current.current.page === page)) {
    current.current = { key: location.key, page };
  }
  return current.current.key;
}

export default function App() {
  const location = useLocation();
  useFocusOnNavigation(location.key, location.hash);
  return <Outlet key={usePageKey()} />;
}

const ERROR_TITLES: Record<number, { title: string; body: string }> = {
  400: { title: 'We could not read that request', body: 'Go back and try again.' },
  401: { title: 'Sign in to continue', body: 'You need to sign in to see this page.' },
  403: {
    title: 'You do not have access to this page',
    body: 'If you think you should, ask the organiser of this consultation.',
  },
  404: {
    title: 'Page not found',
    body: 'If you typed the web address, check it is correct. If you pasted it, check you copied the entire address.',
  },
  409: {
    title: 'That change could not be made',
    body: 'Someone may have changed this at the same time. Go back, reload and try again.',
  },
  413: { title: 'That was too large', body: 'Shorten your answers and try again.' },
  429: { title: 'Too many attempts', body: 'Wait a minute, then try again.' },
  503: {
    title: 'The service is briefly unavailable',
    body: 'Wait a few seconds, then reload the page. Nothing you already saved has been lost.',
  },
};

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const unavailable = error.status === 503 ? (error.data as Partial<UnavailableData>) : null;
    if (unavailable?.retry && unavailable.message) {
      return <RetryForm retry={unavailable.retry} message={unavailable.message} />;
    }
    const known = ERROR_TITLES[error.status];
    // Only a non-empty string is shown: String(null) once printed a literal "null" on the 404.
    const raw =
      typeof error.data === 'object' && error.data && 'message' in error.data
        ? (error.data as { message: unknown }).message
        : null;
    const message = typeof raw === 'string' && raw.trim() ? raw : null;
    return (
      <div className="narrow">
        <h1>{known?.title ?? 'Something went wrong'}</h1>
        {message ? <p className="lead">{message}</p> : null}
        <p>{known?.body}</p>
        <p>
          <Link to="/">Go to the home page</Link>
        </p>
      </div>
    );
  }
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
