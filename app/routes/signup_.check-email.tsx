import type { MetaFunction } from '@remix-run/node';
import { Link } from '@remix-run/react';

export const meta: MetaFunction = () => [
  { title: 'Check your email to finish signing up – Open Consultation' },
];

// Every sign-up ends here, whether or not the address already had an account, so the page
// cannot tell anyone which addresses are registered.
export default function CheckEmail() {
  return (
    <div className="narrow">
      <h1>Check your email to finish signing up</h1>
      <div className="notice notice--success" role="status">
        <p>
          We have sent an email to the address you gave. Open the link in it and press
          &ldquo;Confirm email address&rdquo;: that signs you in and takes you back to where you
          were.
        </p>
      </div>
      <p>The link works once, for 48 hours.</p>
      <h2>No email?</h2>
      <p>
        Check your spam folder. If you already had an account with that address, the email says so
        and tells you how to sign in. You can also <Link to="/login">sign in</Link> or{' '}
        <Link to="/account/forgot-password">reset your password</Link>.
      </p>
    </div>
  );
}
