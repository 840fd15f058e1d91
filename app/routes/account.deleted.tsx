import type { MetaFunction } from '@remix-run/node';
import { Link } from '@remix-run/react';

export const meta: MetaFunction = () => [
  { title: 'Your account has been deleted – Open Consultation' },
];

export default function AccountDeleted() {
  return (
    <div className="narrow">
      <div className="confirmation">
        <h1>Your account has been deleted</h1>
      </div>
      <p>
        You have been signed out. Your responses were erased or anonymised as each
        consultation&apos;s privacy notice said, and your comments now read &ldquo;Comment deleted
        by its author&rdquo;.
      </p>
      <p>
        <Link to="/consultations">See the consultations</Link>
      </p>
    </div>
  );
}
