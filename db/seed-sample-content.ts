import type { SeedRecommendation } from './seed-content';
import type { Bank } from './seed-results-content';
import type { SampleStory } from './seed-results';

// A second, finished demo consultation, entirely made up for this project: closed, with sample
// responses, public results and a published summary (one correction, one outcome update), so a
// newcomer sees the whole life of a consultation without signing in. It speaks for no real
// organisation, and every page of it says it is sample data.

export const sampleConsultation = {
  slug: 'sample-first-year-support',
  title: 'Sample: helping founders through their first year',
  runBy: 'The Open Consultation sample team (made-up sample data, not a real organisation)',
  summary:
    'A finished sample consultation with made-up responses, to show what happens after the close: public results, a published summary with its evidence, a correction and an outcome update. Nothing in it is real.',
  body: `## About this sample

This consultation is **sample data**. The organisation, the proposals, the responses and the summary were all made up to show how a consultation on this site ends: the results become public when it closes, the organisers analyse the responses and publish a summary of what they heard and what they will do, correct it in the open, and record what happens afterwards.

## What we asked

Three small changes that might make the first year of running a company easier. For each, we asked whether people supported it, how important it was to them, and why.

## Who we heard from

Founders, investors and others with an interest in new companies, such as advisers and local business hubs.
`,
};

export const sampleRecommendations: SeedRecommendation[] = [
  {
    slug: 'plain-english-guide',
    title: 'Publish one plain-English guide to the first year',
    summary:
      'A single free guide, kept up to date, to registering a company, payroll, VAT and every filing due in the first year.',
    rationale:
      'New founders told us the rules are spread across many sites and written for accountants. One guide, written for people starting out and reviewed regularly, would save time and missed deadlines.',
  },
  {
    slug: 'local-mentoring-hours',
    title: 'Fund free mentoring hours at local business hubs',
    summary:
      'Ten hours of free mentoring for every new company, given by experienced founders at business hubs around the country.',
    rationale:
      'Mentoring is easy to find in a few cities and hard to find elsewhere. Funded hours at local hubs would spread it more evenly.',
  },
  {
    slug: 'simpler-first-tax-return',
    title: 'Simplify the first company tax return',
    summary:
      'A shorter first return for companies with a turnover under £100,000, with figures filled in where the tax office already holds them.',
    rationale:
      'The first return is often the first time a founder deals with company tax. A shorter, partly filled-in form would cut mistakes and the cost of paying an adviser for a simple job.',
  },
];

const reasons: Record<number, Bank> = {
  1: {
    positive: [
      'One clear guide would have saved me weeks of searching when I started, a great help.',
      'Plain English matters: most of the official advice is written for accountants, so this is very welcome.',
      'A single trusted guide would cut missed deadlines and the fines that follow them.',
      'This is cheap, simple and genuinely useful for people starting out.',
      'Knowing which filings apply in the first year is the hardest part, and a good guide solves it.',
    ],
    negative: [
      'Another guide will be out of date within months and cause more confusion, not less.',
      'Guides already exist; the real problem is that the rules are too complicated.',
      'I worry this would be a poor, generic document that helps nobody with a real question.',
      'Money spent on a guide would be wasted if nobody keeps it current.',
    ],
    neutral: [
      'It depends on who keeps the guide up to date and how often.',
      'The guide should say clearly which parts apply to which kinds of company.',
      'It would help to know how this fits with the existing official pages.',
    ],
  },
  2: {
    positive: [
      'Mentoring from someone who has done it before was the most valuable help I had.',
      'Free hours at a local hub would be a great help outside the big cities.',
      'This would give founders in smaller towns the same support others take for granted.',
      'A few good conversations early on can save a company from costly mistakes.',
    ],
    negative: [
      'Accelerators and investors already provide mentoring; public money would be wasted duplicating it.',
      'Ten hours with a random mentor is unlikely to help and hard to measure.',
      'I worry the quality of mentors would be poor and the scheme expensive to run.',
      'This is a costly scheme with no clear evidence that it works.',
    ],
    neutral: [
      'It depends on how mentors are chosen and matched with founders.',
      'A pilot would show whether founders actually use the hours.',
      'The hubs would need the space and the staff to run this.',
    ],
  },
  3: {
    positive: [
      'A shorter first return would save small companies an adviser’s fee for a simple job, brilliant.',
      'Pre-filled figures would cut the mistakes that worry new founders most.',
      'This is a sensible, welcome change that makes the first year less stressful.',
      'Simple forms for simple companies are long overdue.',
    ],
    negative: [
      'A cut-down return could hide mistakes that cause bigger problems later.',
      'Pre-filled figures are often wrong, and founders would be blamed for the errors.',
      'Two kinds of return would make the system more complicated, not less.',
    ],
    neutral: [
      'The turnover limit needs careful thought.',
      'It depends on which figures the tax office already holds.',
      'Founders would need to know what to check before they sign the return.',
    ],
  },
};

/**
 * Everyone backs the guide; founders back mentoring and investors are divided on it; the
 * simpler return has broad support with investors more cautious. Weights run strongly oppose …
 * strongly support, then no view.
 */
export const sampleStory: SampleStory = {
  weights: {
    1: {
      founder: [2, 4, 10, 40, 40, 4],
      investor: [2, 5, 14, 44, 30, 5],
      other: [3, 6, 16, 42, 28, 5],
    },
    2: {
      founder: [3, 6, 12, 38, 36, 5],
      investor: [20, 32, 18, 16, 8, 6],
      other: [6, 10, 20, 34, 22, 8],
    },
    3: {
      founder: [2, 3, 8, 35, 48, 4],
      investor: [8, 14, 24, 32, 16, 6],
      other: [5, 8, 22, 36, 20, 9],
    },
  },
  answerRate: { 1: 0.9, 2: 0.85, 3: 0.8 },
  reasons,
  drift: false,
};

export const SAMPLE_RESPONSES = 150;

/** The summary's texts; `[n]` in "you said" points at its n-th citation. */
export const sampleSummary = {
  intro: `We asked founders, investors and others whether three changes would make a company's first year easier. **This is sample data**: the consultation, the responses and this summary were made up to show how a published summary reads on this site.

The consultation was open for eight weeks. For each recommendation below you will find the results when it closed, what people told us, with links to the figures and quotes behind each statement, and what we decided.`,
  recommendations: {
    1: {
      youSaid:
        'Founders [1] and investors [2] both supported one plain-English guide. Several people said the hardest part of the first year is knowing which deadlines apply to them [3].',
      weDid:
        'We will publish the guide, written with founders who started a company in the last two years, and review it every six months.',
      outcomeStatus: 'adopted' as const,
      outcomeReasons:
        'Support was broad in every group, and the cost is small. Those who worried about a guide going stale asked for regular reviews, so the guide will carry the date it was last checked.',
    },
    2: {
      youSaid:
        'Founders supported free mentoring [1]. Investors were far less convinced [2], and some said accelerators already provide it [3].',
      weDid:
        'We will run a pilot in three regions before deciding on a national scheme, and publish what it finds.',
      outcomeStatus: 'adopted_with_changes' as const,
      outcomeReasons:
        'Founders were clearly in favour, but investors questioned the value for money. A pilot lets us test whether founders use the hours before spending more.',
    },
    3: {
      youSaid:
        'Support was strongest among founders [1]; investors were more cautious [2]. People who answered rated it as important to them [3].',
      weDid:
        'We have asked the tax office whether a shorter first return is possible, and at what turnover limit.',
      outcomeStatus: 'under_consideration' as const,
      outcomeReasons:
        'The change is not ours alone to make. We will report what the tax office says here.',
    },
  },
  correction: {
    weDid2:
      'We will run a pilot in four regions, starting in the autumn, before deciding on a national scheme, and publish what it finds.',
    changeNote:
      'Recommendation 2: the pilot runs in four regions, not three, and starts in the autumn. The first version gave the wrong number of regions.',
  },
  outcomeUpdate: {
    recommendation: 'simpler-first-tax-return',
    status: 'adopted_with_changes' as const,
    note: 'Sample update: the tax office agreed to a shorter, partly filled-in first return for companies with a turnover under £50,000, half the limit proposed.',
  },
};
