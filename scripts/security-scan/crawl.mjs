// Crawls the app as each role sees it and turns its forms and query strings into sqlmap targets.
import path from 'node:path';
import { Window } from 'happy-dom';

/**
 * Addresses never sent, with the reason printed in the scan's output: posting to them would end
 * the scan's own session or delete its account, and every target after them would run signed out.
 */
export const EXCLUDED = [
  { pattern: '/logout', reason: 'signs the scan out' },
  { pattern: '/account/delete', reason: 'deletes the scanning account' },
];

/** Fields sqlmap must send unchanged instead of testing (see sqlmapArgs). */
export const ANTI_CSRF_FIELDS = ['_token'];

/**
 * Dropped from every form: a key claims its first request, and every later request with it
 * gets the stored answer back without running the form again, so sqlmap would be comparing
 * replays. The forms work without one (README "Safe retries"); the key must be a UUID.
 */
const REPLAY_KEYS = ['idempotencyKey'];

/** The built app's route patterns, most specific first, to tell pages of one route apart. */
export async function routePatterns() {
  const build = await import(path.resolve('build/server/index.js'));
  const routes = build.routes;
  const patternOf = (route) => {
    const parent = route.parentId ? routes[route.parentId] : undefined;
    const base = parent ? patternOf(parent) : '';
    return route.path ? `${base.replace(/\/$/, '')}/${route.path}` : base || '/';
  };
  const patterns = Object.values(routes)
    .filter((route) => route.id !== 'root' && !route.path?.endsWith('*'))
    .map((route) => ({ pattern: patternOf(route), hasAction: Boolean(route.module.action) }));
  const dynamic = (p) => (p.pattern.match(/:/g) ?? []).length;
  return patterns.sort((a, b) => dynamic(a) - dynamic(b));
}

function matcher(patterns) {
  const compiled = patterns.map((p) => ({
    ...p,
    regex: new RegExp(`^${p.pattern.replace(/[.]/g, '\\.').replace(/:[^/]+/g, '[^/]+')}/?$`),
  }));
  return (pathname) => compiled.find((p) => p.regex.test(pathname))?.pattern ?? '(not found)';
}

/**
 * Values for empty fields, so a form gets past validation to the code that queries. The date
 * boxes (app/ui/date-fields.tsx) are text inputs named …Day, …Month, …Year and …Time.
 */
function filler(name, type, index) {
  if (/Year$/.test(name)) return String(new Date().getFullYear() + 1);
  if (/(Day|Month)$/.test(name)) return '1';
  if (/Time$/.test(name)) return '09:00';
  switch (type) {
    case 'email':
      return `scan${index}@example.test`;
    case 'password':
      return 'scan password 2026';
    case 'number':
      return '1';
    case 'url':
      return 'https://example.test/';
    default:
      return 'scan';
  }
}

/** What the browser would send for the field as the page shows it. */
function currentValue(element) {
  if (element.tagName === 'TEXTAREA') return element.textContent;
  if (element.tagName !== 'SELECT') return element.getAttribute('value') ?? '';
  // The selected option, or else the first that is not an empty "any" or "choose one".
  const options = [...element.querySelectorAll('option')];
  const option =
    options.find((o) => o.hasAttribute('selected')) ??
    options.find((o) => o.getAttribute('value')) ??
    options[0];
  return option?.getAttribute('value') ?? option?.textContent ?? '';
}

/** Every way the form can be sent: one per named submit button (each its own code path). */
function formVariants(form, pageUrl) {
  const fields = [];
  const radios = new Set();
  let index = 0;
  for (const element of form.querySelectorAll('input, textarea, select')) {
    const name = element.getAttribute('name');
    const type = (element.getAttribute('type') ?? '').toLowerCase();
    if (!name || REPLAY_KEYS.includes(name) || element.hasAttribute('disabled')) continue;
    if (['submit', 'button', 'image', 'reset', 'file'].includes(type)) continue;
    index++;
    if (type === 'checkbox' && !element.hasAttribute('checked')) continue;
    if (type === 'radio') {
      // The checked option, or else the first, as a person must pick one to send the form.
      const group = [...form.querySelectorAll(`input[type=radio][name="${name}"]`)];
      const chosen = group.find((r) => r.hasAttribute('checked')) ?? group[0];
      if (radios.has(name) || chosen !== element) continue;
      radios.add(name);
    }
    const value = currentValue(element);
    const fillable = element.tagName !== 'SELECT' && type !== 'hidden';
    fields.push([name, value === '' && fillable ? filler(name, type, index) : value]);
  }
  const buttons = [...form.querySelectorAll('button[name], input[type=submit][name]')];
  const method = (form.getAttribute('method') ?? 'get').toUpperCase();
  const action = new URL(form.getAttribute('action') ?? pageUrl, pageUrl);
  if (buttons.length === 0) return [{ method, action, fields }];
  return buttons.map((button) => ({
    method,
    action,
    fields: [...fields, [button.getAttribute('name'), button.getAttribute('value') ?? '']],
    button: button.getAttribute('name'),
  }));
}

function isExcluded(pathname) {
  return EXCLUDED.some((e) => pathname === e.pattern || pathname.startsWith(`${e.pattern}/`));
}

/**
 * Breadth-first over same-origin links from `/` and `starts`, at most `maxPages` pages and
 * `perRoute` pages of any one route (the 400 seeded responses are one page, many times).
 * Returns the targets found: each form variant, and each page address with a query string.
 */
export async function crawl(session, patterns, { starts = [], maxPages, perRoute }) {
  const routeOf = matcher(patterns);
  const origin = new URL(session.baseUrl).origin;
  const queue = ['/', ...starts];
  const seen = new Set(queue);
  const visitsPerRoute = new Map();
  const targets = [];
  const skipped = new Set();
  const window = new Window();
  let pages = 0;
  const enqueue = (href, base) => {
    let url;
    try {
      url = new URL(href, base);
    } catch {
      return;
    }
    url.hash = '';
    if (url.origin !== origin || url.pathname.startsWith('/assets/')) return;
    if (isExcluded(url.pathname)) {
      skipped.add(url.pathname);
      return;
    }
    const key = url.pathname + url.search;
    if (!seen.has(key)) {
      seen.add(key);
      queue.push(key);
    }
  };
  while (queue.length > 0 && pages < maxPages) {
    const target = queue.shift();
    const url = new URL(target, origin);
    const route = routeOf(url.pathname);
    const visits = visitsPerRoute.get(route) ?? 0;
    if (visits >= perRoute) continue;
    visitsPerRoute.set(route, visits + 1);
    pages++;
    const response = await session.request('GET', target);
    if (url.search) {
      targets.push({ role: session.role, route, method: 'GET', action: url, fields: [] });
    }
    const location = response.headers.get('Location');
    if (location) enqueue(location, url);
    if (!(response.headers.get('Content-Type') ?? '').startsWith('text/html')) continue;
    const document = new window.DOMParser().parseFromString(await response.text(), 'text/html');
    for (const a of document.querySelectorAll('a[href]')) {
      // A download link (data export, CSV) is a page too, but not one to follow as HTML.
      enqueue(a.getAttribute('href'), url);
    }
    for (const form of document.querySelectorAll('form')) {
      for (const variant of formVariants(form, url)) {
        if (isExcluded(variant.action.pathname)) {
          skipped.add(variant.action.pathname);
          continue;
        }
        targets.push({ role: session.role, route: routeOf(variant.action.pathname), ...variant });
      }
    }
  }
  await window.happyDOM.close();
  return { pages, targets, skipped: [...skipped], visitedRoutes: [...visitsPerRoute.keys()] };
}

/**
 * Whether the field says which of a route's actions the form is: the submit button pressed, or
 * an `intent` field (this app's forms name their action so, hidden or on the button).
 */
function saysWhich(target, name) {
  return name === target.button || name === 'intent';
}

/**
 * One target per route, method and set of fields (a submit button's value counts, as each
 * intent is its own code path): the same form on forty response pages is scanned once. `seen`
 * holds the shapes of earlier rounds, which are not scanned again.
 */
export function uniqueTargets(targets, seen = new Set()) {
  const unique = [];
  for (const target of targets) {
    const query = [...target.action.searchParams.keys()];
    const fields = target.fields.map(([name, value]) =>
      saysWhich(target, name) ? `${name}=${value}` : name,
    );
    const key = `${target.method} ${target.route} ${[...query, ...fields].sort().join(',')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(target);
  }
  return unique;
}

/**
 * The parameters each target adds to what earlier targets of its route, method and button
 * already cover (`only`, sqlmap's -p), dropping targets that add none: the form on
 * `…/final?return=check` is the one on `…/final` with one more query parameter. `covered` is
 * kept from one round to the next.
 */
export function narrowed(targets, covered = new Map()) {
  const kept = [];
  for (const target of targets) {
    const which = target.fields.filter(([name]) => saysWhich(target, name));
    const key = `${target.method} ${target.route} ${which.map((f) => f.join('=')).join('&')}`;
    const names = [
      ...new URL(target.action).searchParams.keys(),
      ...target.fields.map(([n]) => n),
    ].filter((name) => !ANTI_CSRF_FIELDS.includes(name) && name !== 'index');
    const seen = covered.get(key);
    const fresh = names.filter((name) => !seen?.has(name));
    if (seen && fresh.length === 0) continue;
    covered.set(key, new Set([...(seen ?? []), ...names]));
    kept.push(seen ? { ...target, only: fresh } : target);
  }
  return kept;
}
