import type { MetaFunction } from '@remix-run/node';
import { Link } from '@remix-run/react';

export const meta: MetaFunction = () => [{ title: 'Accessibility statement – Open Consultation' }];

export default function Accessibility() {
  return (
    <div className="narrow">
      <h1>Accessibility statement</h1>
      <p>
        We want everyone to be able to read the consultations and respond to them, whatever device,
        browser or assistive technology they use.
      </p>
      <h2>What we aim for</h2>
      <p>
        The target is the Web Content Accessibility Guidelines (WCAG) version 2.2 at level AA. The
        site should work with a keyboard alone, with a screen reader, zoomed to 400%, on a phone 390
        pixels wide, and with JavaScript turned off: every form is an ordinary HTML form that the
        server checks, and JavaScript only makes it quicker.
      </p>
      <h2>How it is tested</h2>
      <ul>
        <li>
          Automated browser tests go through the main journeys (reading, signing up, responding,
          commenting, moderating, organising, downloading and deleting your data) at desktop width
          and at 390 pixels, with JavaScript on and off.
        </li>
        <li>
          Each page those tests visit is checked with the axe accessibility engine against the WCAG
          2.2 A and AA rules, and a test fails on any violation.
        </li>
        <li>
          Forms are written to GOV.UK Design System patterns: an error summary that takes focus,
          errors next to each field, labels and hints tied to their fields, and what you typed kept.
        </li>
      </ul>
      <h2>What we know is not right yet</h2>
      <ul>
        <li>
          Automated checks find only some problems. The site has not yet had a full manual audit or
          been tested by disabled people using their own assistive technology.
        </li>
        <li>
          The charts on the results pages have a short text description and a table of every number,
          but on a phone a chart keeps its size and scrolls sideways, which some people find hard to
          use.
        </li>
        <li>Consultation text written by organisers may not always be in plain English.</li>
      </ul>
      <h2>Tell us about a problem</h2>
      <p>
        If you cannot use part of the site, or find a problem not listed here, tell us through the{' '}
        <Link to="/contact">contact page</Link>. Say which page and what happened; we will reply
        and, where we can, send you the content in a form you can use.
      </p>
      <p>
        If you are not happy with our reply, in the UK you can contact the Equality Advisory and
        Support Service (EASS).
      </p>
    </div>
  );
}
