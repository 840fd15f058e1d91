import { Window } from 'happy-dom';
import { expect } from 'vitest';
import type { Fields, Visitor } from './http-client';
import type { AppRoute } from './routes';

// Forms read from the HTML a page sent, as a browser without JavaScript sees them: what each
// posts, where to, and what it would send unchanged. Suites that must reach every text field a
// person can type into crawl the pages with these, so a field added later is found too.

/** Input types a person types free text into (an input with no type is text). */
const TEXT_TYPES = new Set(['text', 'search', 'email', 'url', 'tel']);

export type PageForm = {
  /** The path (and query) the form submits to. */
  action: string;
  method: 'get' | 'post';
  /** What the browser sends if nothing is changed and the first submit button is pressed. */
  defaults: Fields;
  /** Names of the text inputs and text areas, in page order. */
  textFields: string[];
  /** The values of each group of radios, for a field nothing is chosen in yet. */
  choices: Record<string, string[]>;
  /** Submit buttons that carry a name, by their label. */
  buttons: { name: string; value: string; label: string }[];
};

const window = new Window({ settings: { disableJavaScriptEvaluation: true } });

/** Every form in `html`, the page at `pageUrl`. DOMParser runs none of the page's scripts. */
export function formsIn(html: string, pageUrl: string): PageForm[] {
  const document = new window.DOMParser().parseFromString(html, 'text/html');
  const forms: PageForm[] = [];
  for (const form of document.querySelectorAll('form')) {
    const action = new URL(form.getAttribute('action') ?? '', pageUrl);
    const method = (form.getAttribute('method') ?? 'get').toLowerCase() === 'post' ? 'post' : 'get';
    const defaults: Fields = {};
    const textFields: string[] = [];
    const buttons: PageForm['buttons'] = [];
    const choices: PageForm['choices'] = {};
    for (const element of form.querySelectorAll('input, textarea, select, button')) {
      const name = element.getAttribute('name');
      const tag = element.tagName.toLowerCase();
      const type = (element.getAttribute('type') ?? (tag === 'button' ? 'submit' : 'text'))
        .trim()
        .toLowerCase();
      if (tag === 'button' || type === 'submit') {
        if (name) {
          buttons.push({
            name,
            value: element.getAttribute('value') ?? '',
            label: (element.textContent ?? element.getAttribute('value') ?? '').trim(),
          });
        }
        continue;
      }
      if (!name || element.hasAttribute('disabled')) continue;
      if (tag === 'textarea') {
        textFields.push(name);
        defaults[name] = element.textContent ?? '';
      } else if (tag === 'select') {
        const options = [...element.querySelectorAll('option')];
        const chosen = options.find((o) => o.hasAttribute('selected')) ?? options[0];
        defaults[name] = chosen?.getAttribute('value') ?? chosen?.textContent ?? '';
      } else if (type === 'checkbox' || type === 'radio') {
        if (type === 'radio') (choices[name] ??= []).push(element.getAttribute('value') ?? 'on');
        if (element.hasAttribute('checked')) defaults[name] = element.getAttribute('value') ?? 'on';
      } else {
        if (TEXT_TYPES.has(type)) textFields.push(name);
        if (type !== 'password' && type !== 'file')
          defaults[name] = element.getAttribute('value') ?? '';
      }
    }
    const first = buttons[0];
    if (first && !(first.name in defaults)) defaults[first.name] = first.value;
    forms.push({
      action: `${action.pathname}${action.search}`,
      method,
      defaults,
      textFields,
      choices,
      buttons,
    });
  }
  return forms;
}

/** Same-site links on the page, as paths. */
export function linksIn(html: string, pageUrl: string): string[] {
  const origin = new URL(pageUrl).origin;
  const links = new Set<string>();
  for (const [, href] of html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)) {
    const url = new URL(href!.replace(/&amp;/g, '&'), pageUrl);
    if (url.origin === origin) links.add(`${url.pathname}${url.search}`);
  }
  return [...links];
}

/** The route whose pattern matches `path`, preferring the one with the fewest parameters. */
export function routeOf(routes: AppRoute[], path: string): AppRoute | undefined {
  const pathname = path.split('?')[0]!.replace(/\/$/, '') || '/';
  const matches = routes.filter((route) => {
    const source = route.pattern
      .split('/')
      .map((part) =>
        part === '*'
          ? '.*'
          : part.startsWith(':')
            ? '[^/]+'
            : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    return new RegExp(`^${source.replace(/\/$/, '') || '/'}$`).test(pathname);
  });
  const weight = (route: AppRoute) =>
    (route.pattern.match(/:/g)?.length ?? 0) + (route.pattern.includes('*') ? 100 : 0);
  return matches.sort((a, b) => weight(a) - weight(b))[0];
}

export type CrawledForm = PageForm & {
  /** The page the form was found on. */
  page: string;
  /** The route pattern of the page and of where the form goes. */
  pageRoute: string;
  actionRoute: string;
};

export type CrawlOptions = {
  /** Paths never fetched: sign-out, downloads, anything with a side effect on GET. */
  skip: (path: string) => boolean;
  /**
   * Pages fetched per route pattern beyond `starts` (the same form on the hundredth comment
   * adds nothing).
   */
  perRoute?: number;
  maxPages?: number;
  /** Called with each HTML page fetched. */
  onPage?: (path: string, html: string, response: Response) => void;
};

/**
 * Follows same-site links from `starts` as `visitor`, at most `perRoute` pages per route
 * pattern, and returns every form found with the pages fetched.
 */
export async function crawlForms(
  visitor: Visitor,
  routes: AppRoute[],
  starts: string[],
  options: CrawlOptions,
) {
  const perRoute = options.perRoute ?? 2;
  const maxPages = options.maxPages ?? 200;
  const queue = [...starts];
  const seen = new Set<string>();
  const fetchedPerRoute = new Map<string, number>();
  const forms: CrawledForm[] = [];
  const pages: string[] = [];
  while (queue.length > 0 && pages.length < maxPages) {
    const path = queue.shift()!;
    if (seen.has(path) || options.skip(path)) continue;
    seen.add(path);
    const route = routeOf(routes, path)?.pattern ?? '?';
    const count = fetchedPerRoute.get(route) ?? 0;
    // The pages asked for are always read; the ones found on the way, a few per route.
    if (count >= perRoute && !starts.includes(path)) continue;
    fetchedPerRoute.set(route, count + 1);
    const response = await visitor.get(path);
    if (response.status !== 200 || !response.headers.get('content-type')?.includes('text/html')) {
      await response.body?.cancel();
      continue;
    }
    const html = await response.text();
    const url = new URL(path, visitor.baseUrl).toString();
    pages.push(path);
    options.onPage?.(path, html, response);
    for (const form of formsIn(html, url)) {
      forms.push({
        ...form,
        page: path,
        pageRoute: route,
        actionRoute: routeOf(routes, form.action)?.pattern ?? '?',
      });
    }
    for (const link of linksIn(html, url)) if (!seen.has(link)) queue.push(link);
  }
  return { forms, pages };
}

/** The form on `path` that has a field `field` (and, if given, posts to a path matching `action`). */
export async function formOn(
  visitor: Visitor,
  path: string,
  field: string,
  action?: RegExp,
  where: Fields = {},
): Promise<PageForm> {
  const response = await visitor.get(path);
  expect(response.status, `GET ${path}`).toBe(200);
  const forms = formsIn(await response.text(), new URL(path, visitor.baseUrl).toString());
  const form = forms.find(
    (f) =>
      field in f.defaults &&
      (!action || action.test(f.action.split('?')[0]!)) &&
      Object.entries(where).every(([name, value]) => f.defaults[name] === value),
  );
  expect(form, `a form with ${field} on ${path}`).toBeDefined();
  return form!;
}

/**
 * Fills the form on `path` holding `field` as a person would: what it already holds, then
 * `values`, and submits it with its own method to its own action.
 */
export async function submitForm(
  visitor: Visitor,
  path: string,
  field: string,
  values: Fields,
  options: { action?: RegExp; button?: string; where?: Fields } = {},
) {
  const form = await formOn(visitor, path, field, options.action, options.where);
  // A person answering a required question picks something: the first option, unless told.
  const picked = Object.fromEntries(
    Object.entries(form.choices)
      .filter(([name]) => !(name in form.defaults))
      .map(([name, options]) => [name, options[0]!]),
  );
  const fields: Fields = { ...picked, ...form.defaults, ...values };
  if (options.button) {
    const button = form.buttons.find((b) => b.label === options.button);
    expect(button, `a button ${options.button} on ${path}`).toBeDefined();
    for (const b of form.buttons) delete fields[b.name];
    fields[button!.name] = button!.value;
  }
  if (form.method === 'get') {
    const url = new URL(form.action, visitor.baseUrl);
    for (const [name, value] of Object.entries(fields)) url.searchParams.set(name, value);
    return visitor.get(`${url.pathname}${url.search}`);
  }
  return visitor.post(form.action, fields);
}

/** The form on the page that has a field called `field`; throws naming it when there is none. */
export function formWith(html: string, pageUrl: string, field: string): PageForm {
  const form = formsIn(html, pageUrl).find((f) => field in f.defaults);
  if (!form) throw new Error(`no form with a field "${field}" on ${pageUrl}`);
  return form;
}
