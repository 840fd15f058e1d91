import { afterAll, beforeAll, expect, test } from 'vitest';
import { DOS_SHAPES, PROSE, type DosShape } from '#tests/fixtures/markdown-dos';
import { formWith } from '#tests/support/forms';
import { Visitor } from '#tests/support/http-client';
import { startServer, type TestServer } from '#tests/support/server';
import { DEMO_ACCOUNTS } from '#tests/support/accounts';

// The markdown corpus (tests/fixtures/markdown-dos.ts) through every markdown field, at each
// field's full length, over HTTP: each post is answered promptly, with the text stored or
// refused (422) with a field error that keeps it, the pages showing it still answer, and the health
// check never stalls behind a render (once one comment froze the event loop for ten seconds).

const FULL = process.env.SECURITY === 'full';
const SLUG = 'hidden-in-plain-sight';
const RECOMMENDATION = 'publicly-funded-ai-open-release';
const RECOMMENDATION_PAGE = `/consultations/${SLUG}/recommendations/${RECOMMENDATION}`;
/** Generous for a busy 2-core machine: the render budget is 1 s, timed twice at worst. */
const ANSWER_WITHIN_MS = 5_000;
const HEALTH_WITHIN_MS = 3_000;

let server: TestServer;
let organiser: Visitor;
let founder: Visitor;
let stop = false;
const healthTimes: number[] = [];
let healthLoop: Promise<void>;

/** The short run takes a spread of the corpus; each field sees different shapes. */
function shapesFor(offset: number, count: number): DosShape[] {
  if (FULL) return DOS_SHAPES;
  return Array.from({ length: count }, (_, i) => DOS_SHAPES[(offset + i * 5) % DOS_SHAPES.length]!);
}

beforeAll(async () => {
  server = await startServer({ TRUST_PROXY_HOPS: '1' });
  organiser = await Visitor.signIn(server.url, DEMO_ACCOUNTS.organiser);
  founder = await Visitor.signIn(server.url, DEMO_ACCOUNTS.founder);
  healthLoop = (async () => {
    while (!stop) {
      const started = performance.now();
      const response = await fetch(`${server.url}/healthcheck`, {
        signal: AbortSignal.timeout(30_000),
      });
      await response.arrayBuffer();
      healthTimes.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
});
afterAll(async () => {
  stop = true;
  await healthLoop;
  await server?.stop();
});

type Field = {
  label: string;
  visitor: () => Visitor;
  /** The page whose form holds the field, and where the stored text is shown. */
  page: string;
  shownOn: string[];
  field: string;
  max: number;
  extra?: Record<string, string>;
};

/**
 * Posts `text` through the page's own form and checks the answer: stored (a redirect, and
 * every page showing it answers 200 in time) or refused with the reason beside the field and
 * the text kept. Returns which.
 */
async function postThrough(target: Field, text: string) {
  const visitor = target.visitor();
  const page = await visitor.get(target.page);
  expect(page.status, target.page).toBe(200);
  const form = formWith(await page.text(), `${server.url}${target.page}`, target.field);
  const started = performance.now();
  const response = await visitor.post(form.action, {
    ...form.defaults,
    ...target.extra,
    [target.field]: text,
  });
  const body = await response.text();
  const took = performance.now() - started;
  expect(took, `${target.label}: answered in ${Math.round(took)} ms`).toBeLessThan(
    ANSWER_WITHIN_MS,
  );
  if (response.status === 302) {
    for (const shown of target.shownOn) {
      const viewStarted = performance.now();
      const view = await new Visitor(server.url).get(shown);
      expect(view.status, `${shown} after storing`).toBe(200);
      await view.arrayBuffer();
      expect(performance.now() - viewStarted).toBeLessThan(ANSWER_WITHIN_MS);
    }
    return 'stored';
  }
  expect(
    response.status,
    `${target.label}: ${body
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .slice(0, 600)}`,
  ).toBe(422);
  expect(body).toContain('We could not save this text');
  const kept = formWith(body, `${server.url}${form.action}`, target.field).defaults[target.field];
  expect(kept === text, `${target.label}: the text comes back as typed`).toBe(true);
  return 'refused';
}

const FIELDS: Field[] = [
  {
    label: 'a comment',
    visitor: () => founder,
    page: RECOMMENDATION_PAGE,
    shownOn: [RECOMMENDATION_PAGE],
    field: 'body',
    max: 5000,
    extra: { intent: 'comment' },
  },
  {
    label: 'the house rules',
    visitor: () => organiser,
    page: `/moderation/${SLUG}/policy`,
    shownOn: [`/consultations/${SLUG}`, RECOMMENDATION_PAGE],
    field: 'houseRules',
    max: 5000,
  },
  {
    label: 'a consultation description',
    visitor: () => organiser,
    page: `/organise/${SLUG}`,
    shownOn: [`/consultations/${SLUG}`],
    field: 'body',
    max: 50_000,
    extra: { intent: 'save' },
  },
  {
    label: 'a recommendation rationale',
    visitor: () => organiser,
    page: `/organise/${SLUG}/recommendations/${RECOMMENDATION}`,
    shownOn: [RECOMMENDATION_PAGE],
    field: 'rationale',
    max: 50_000,
    extra: { intent: 'save' },
  },
];

test.each(FIELDS.map((field, i) => [field.label, field, i] as const))(
  '%s: every pathological shape at full length is stored or refused in time, and nothing stalls',
  async (_label, target, i) => {
    // The control: ordinary prose of the same length is stored.
    expect(await postThrough(target, PROSE.build(target.max))).toBe('stored');
    // Comments are limited to five a minute per account: the short run stays under it.
    const shapes = shapesFor(i, target.label === 'a comment' ? 4 : 6);
    const outcomes: string[] = [];
    for (const [n, shape] of shapes.entries()) {
      if (target.label === 'a comment' && n > 0 && n % 4 === 0) {
        founder = await Visitor.signUp(server.url, {
          name: `Dana Dos ${n}`,
          email: `dana.dos.${n}@attack.test`,
          segment: 'founder',
        });
      }
      outcomes.push(`${shape.name}: ${await postThrough(target, shape.build(target.max))}`);
    }
    expect(outcomes).toHaveLength(shapes.length);
    const slowest = Math.max(...healthTimes);
    expect(slowest, `slowest health check ${Math.round(slowest)} ms`).toBeLessThan(
      HEALTH_WITHIN_MS,
    );
  },
);

test('a comment edit takes the same limits', async () => {
  const editor = await Visitor.signUp(server.url, {
    name: 'Eli Edits',
    email: 'eli.edits@attack.test',
    segment: 'founder',
  });
  const page = await editor.get(RECOMMENDATION_PAGE);
  const form = formWith(await page.text(), `${server.url}${RECOMMENDATION_PAGE}`, 'body');
  const posted = await editor.post(form.action, {
    ...form.defaults,
    intent: 'comment',
    body: 'A plain comment to edit later.',
  });
  expect(posted.status).toBe(302);
  const commentId = /#comment-([0-9a-f-]{36})/.exec(posted.headers.get('Location') ?? '')?.[1];
  expect(commentId).toBeDefined();
  const editPage = `${RECOMMENDATION_PAGE}/comments/${commentId}/edit`;
  const target: Field = {
    label: 'a comment edit',
    visitor: () => editor,
    page: editPage,
    shownOn: [RECOMMENDATION_PAGE],
    field: 'body',
    max: 5000,
  };
  expect(await postThrough(target, '1. '.repeat(1666).trim())).toBe('refused');
  expect(await postThrough(target, PROSE.build(5000))).toBe('stored');
});
