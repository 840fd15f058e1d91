// Reads a form out of a page the app rendered, as a browser would submit it: hidden fields
// (form token, versions, idempotency keys), typed values, checked boxes and chosen options.
// The app's markup is React's, so attribute values are always double-quoted; buttons are not
// read (pass the pressed button's name and value yourself).

/** Undoes React's escaping of text and attribute values. */
function decodeEntities(value: string) {
  return value
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export type PageForm = { action: string; method: string; fields: Record<string, string> };

const attribute = (tag: string, name: string) => {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? decodeEntities(match[1]!) : undefined;
};

/** Every form on the page, in order. */
export function formsIn(html: string, pageUrl: string): PageForm[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, open, body]) => {
    const fields: Record<string, string> = {};
    for (const [tag] of body!.matchAll(/<input\b[^>]*>/g)) {
      const name = attribute(tag, 'name');
      const type = attribute(tag, 'type') ?? 'text';
      if (!name || / disabled(=|\s|>|\/)/.test(tag) || ['submit', 'button', 'file'].includes(type))
        continue;
      if ((type === 'radio' || type === 'checkbox') && !/\schecked(=|\s|>|\/)/.test(tag)) continue;
      fields[name] = attribute(tag, 'value') ?? (type === 'checkbox' ? 'on' : '');
    }
    for (const [, open, text] of body!.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
      const name = attribute(open!, 'name');
      // The HTML parser drops one newline straight after <textarea>.
      if (name) fields[name] = decodeEntities(text!.replace(/^\n/, ''));
    }
    for (const [, open, options] of body!.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const name = attribute(open!, 'name');
      const chosen =
        /<option\b[^>]*\sselected[^>]*>/.exec(options!) ?? /<option\b[^>]*>/.exec(options!);
      if (name && chosen) fields[name] = attribute(chosen[0], 'value') ?? '';
    }
    const action = attribute(open!, 'action');
    return {
      action: new URL(action ?? '', pageUrl).pathname + new URL(action ?? '', pageUrl).search,
      method: (attribute(open!, 'method') ?? 'get').toLowerCase(),
      fields,
    };
  });
}

/** The form on the page that has a field called `field`; throws naming it when there is none. */
export function formWith(html: string, pageUrl: string, field: string): PageForm {
  const form = formsIn(html, pageUrl).find((f) => field in f.fields);
  if (!form) throw new Error(`no form with a field "${field}" on ${pageUrl}`);
  return form;
}
