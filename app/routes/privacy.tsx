import type { MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { handler } from '~/.server/http';
import { getSiteNotice } from '~/.server/privacy';
import { PrivacyNoticeDetails } from '~/ui/privacy-notice';

export const meta: MetaFunction = () => [{ title: 'Privacy notice – Open Consultation' }];

export const loader = handler(async () => ({ notice: getSiteNotice() }));

export default function Privacy() {
  const { notice } = useLoaderData<typeof loader>();
  return (
    <div className="narrow">
      <h1>Privacy notice</h1>
      <p>
        This notice applies to the whole site. Each consultation has its own notice, linked at the
        foot of its pages; where a consultation has not set a part of its own, this one applies.
      </p>
      <h2>What we keep about you</h2>
      <ul>
        <li>
          Your account: email address, a scrambled form of your password (we cannot read it), the
          name and details you gave, and the sessions you are signed in with.
        </li>
        <li>
          What you send: responses and their receipts, comments, endorsements, &ldquo;helpful&rdquo;
          votes, reports of comments, and requests to verify your organisation.
        </li>
        <li>Messages the site sends you, and an audit log of changes made through the site.</li>
      </ul>
      <h2>The notice</h2>
      <PrivacyNoticeDetails notice={notice} />
      <h2>Your rights</h2>
      <p>
        You can see and change your details on <Link to="/account/profile">your details</Link> page,{' '}
        <a href="/account/data.json" download>
          download all your data
        </a>{' '}
        as a file at any time, and <Link to="/account/delete">delete your account</Link>. If
        something is wrong or you want to complain, see the <Link to="/contact">contact page</Link>.
        You may also complain to the Information Commissioner&apos;s Office (ico.org.uk).
      </p>
      <h2>Cookies</h2>
      <p>
        The site sets one cookie to keep you signed in, and a short-lived one that keeps what you
        typed if you were signed out while filling in a form. Both are strictly necessary; there are
        no analytics or advertising cookies.
      </p>
    </div>
  );
}
