import type { MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { handler } from '~/.server/http';
import { getSiteDetails } from '~/.server/privacy';

export const meta: MetaFunction = () => [{ title: 'Contact – Open Consultation' }];

export const loader = handler(async () => getSiteDetails());

export default function Contact() {
  const { operator, contactEmail } = useLoaderData<typeof loader>();
  return (
    <div className="narrow">
      <h1>Contact</h1>
      <p>This site is run by {operator}.</p>
      {contactEmail ? (
        <p>
          Email <a href={`mailto:${contactEmail}`}>{contactEmail}</a> about privacy, accessibility,
          your account or anything else about the site. We aim to reply within 5 working days.
        </p>
      ) : (
        <p>
          The operator has not published a contact email address yet. Until they do, questions about
          a consultation go to the organisation named on that consultation&apos;s privacy notice.
        </p>
      )}
      <h2>About a consultation</h2>
      <p>
        Each consultation is run by the organisation named on its page. Its privacy notice, linked
        at the foot of each of its pages, gives the contact for questions about it and about how its
        responses are used.
      </p>
      <h2>Your data</h2>
      <p>
        You do not need to contact anyone to see or remove your data: you can{' '}
        <a href="/account/data.json" download>
          download it
        </a>{' '}
        or <Link to="/account/delete">delete your account</Link> yourself. See the{' '}
        <Link to="/privacy">privacy notice</Link> and the{' '}
        <Link to="/accessibility">accessibility statement</Link>.
      </p>
    </div>
  );
}
