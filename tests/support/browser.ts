import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium; nothing here downloads a browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
  });
}

export async function newPage(
  browser: Browser,
  options: { javaScript?: boolean; width?: number } = {},
) {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScript ?? true,
    viewport: { width: options.width ?? 1280, height: 900 },
    locale: 'en-GB',
  });
  const page = await context.newPage();
  if (options.javaScript === false) withoutJavaScript.add(page);
  const violations: string[] = [];
  cspViolations.set(page, violations);
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) {
      violations.push(`${page.url()}: ${message.text()}`);
    }
  });
  return page;
}

const withoutJavaScript = new WeakSet<Page>();
/** What the Content-Security-Policy blocked on each page: every accessibility check asserts none. */
const cspViolations = new WeakMap<Page, string[]>();

/**
 * axe runs inside the page, which a JavaScript-free page cannot do. So the exact HTML the
 * server sent is replayed at the same address in a scripted page whose own scripts are blocked:
 * axe then sees what a visitor without JavaScript sees, styles included. One replay page per
 * browser serves every check (its styles stay cached), instead of a new context each time.
 */
const replays = new WeakMap<
  Browser,
  Promise<{ page: Page; shown: { url: string; html: string } }>
>();

async function replayWithoutScripts(page: Page) {
  const browser = page.context().browser()!;
  let replay = replays.get(browser);
  if (!replay) {
    replay = (async () => {
      const shown = { url: '', html: '' };
      const replayPage = await (await browser.newContext()).newPage();
      await replayPage.route('**/*', (route) => {
        const request = route.request();
        if (request.url() === shown.url.split('#')[0] && request.resourceType() === 'document') {
          return route.fulfill({ status: 200, contentType: 'text/html', body: shown.html });
        }
        if (request.resourceType() === 'script') return route.abort();
        return route.continue();
      });
      return { page: replayPage, shown };
    })();
    replays.set(browser, replay);
  }
  const { page: target, shown } = await replay;
  shown.html = await page.content();
  shown.url = page.url();
  await target.setViewportSize(page.viewportSize() ?? { width: 1280, height: 900 });
  // From a blank page, so that an address differing only in its #fragment still loads anew.
  await target.goto('about:blank');
  await target.goto(shown.url);
  return target;
}

/**
 * Fails the test with a readable list if axe finds any WCAG 2.2 A/AA violation, or if the
 * Content-Security-Policy blocked anything the page tried to load or run so far.
 */
export async function expectAccessible(page: Page) {
  expect(cspViolations.get(page) ?? [], 'blocked by the Content-Security-Policy').toEqual([]);
  const target = withoutJavaScript.has(page) ? await replayWithoutScripts(page) : page;
  const results = await new AxeBuilder({ page: target })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    // Only violations are read: axe then skips gathering the details of every passing node.
    .options({ resultTypes: ['violations'] })
    .analyze();
  const problems = results.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(problems, `axe violations on ${page.url()}`).toEqual([]);
}

/**
 * Screenshots go to docs/screenshots/ when UPDATE_SCREENSHOTS=1 (to refresh the committed set),
 * otherwise to .cache/screenshots/ for looking at after a run.
 */
export async function screenshot(page: Page, name: string) {
  const dir = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : '.cache/screenshots';
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** Waits (up to 10 s) for exactly one matching element to be visible. */
export async function visible(locator: Locator) {
  await locator.waitFor({ state: 'visible', timeout: 10_000 });
}

/** Polls the element's text until it contains (or matches) what is expected. */
export async function hasText(locator: Locator, expected: string | RegExp) {
  await expect
    .poll(async () => (await locator.textContent({ timeout: 10_000 })) ?? '', { timeout: 10_000 })
    .toMatch(typeof expected === 'string' ? new RegExp(escapeRegExp(expected)) : expected);
}

export async function hasValue(locator: Locator, expected: string) {
  expect(await locator.inputValue({ timeout: 10_000 })).toBe(expected);
}

export async function isFocused(locator: Locator) {
  expect(await locator.evaluate((element) => element === document.activeElement)).toBe(true);
}

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type Mode = { javaScript: boolean; label: string };

/** A journey runs as each of these: the same steps must work with JavaScript and without. */
export const MODES: readonly Mode[] = [
  { javaScript: true, label: 'with JavaScript' },
  { javaScript: false, label: 'without JavaScript' },
];

/**
 * Each mode once, at one of the two widths each, for long journeys: both modes and both widths
 * are covered in two runs instead of four.
 */
export const MODE_WIDTHS: readonly { mode: Mode; width: number }[] = [
  { mode: MODES[0]!, width: 390 },
  { mode: MODES[1]!, width: 1280 },
];

/**
 * Moves focus with Tab until it reaches the link or button called `name` (or the element
 * `target` finds), then presses Enter: the keyboard path.
 */
export async function tabToAndPress(
  page: Page,
  role: 'link' | 'button' | Locator,
  name?: string | RegExp,
) {
  const target =
    typeof role === 'string'
      ? page.getByRole(role, { name, exact: typeof name === 'string' })
      : role;
  await visible(target);
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((element) => element === document.activeElement)) break;
  }
  await isFocused(target);
  await page.keyboard.press('Enter');
}

/** The element that has focus, described for an assertion message. */
export async function focusedElement(page: Page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    return e ? `${e.tagName.toLowerCase()}: ${(e.textContent ?? '').trim().slice(0, 80)}` : '';
  });
}
