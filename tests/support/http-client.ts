import { expect } from 'vitest';
import { signUpOverHttp, type Account } from './accounts';

// A visitor over plain HTTP (no browser): keeps its session cookie and says, as a browser
// does, which page a form was posted from (the site refuses state-changing posts that do not).

export type Fields = Record<string, string>;

export type SendOptions = {
  /** Form fields, sent url-encoded. */
  form?: Fields;
  /** Extra or replacement headers; `Origin: undefined` sends none. */
  headers?: Record<string, string | undefined>;
};

export class Visitor {
  cookie: string | undefined;

  constructor(
    readonly baseUrl: string,
    cookie?: string,
  ) {
    this.cookie = cookie;
  }

  /** A visitor signed in with the sign-in form; fails the test if it does not sign in. */
  static async signIn(baseUrl: string, { email, password }: Account) {
    const visitor = new Visitor(baseUrl);
    const response = await visitor.post('/login', { email, password, redirectTo: '/' });
    expect(response.status, `sign in ${email}`).toBe(302);
    expect(visitor.cookie, `a session for ${email}`).toBeDefined();
    return visitor;
  }

  /** A new account made through the sign-up form and its emailed link, signed in. */
  static async signUp(baseUrl: string, person: { name: string; email: string; segment?: string }) {
    return new Visitor(baseUrl, await signUpOverHttp(baseUrl, person));
  }

  async send(method: string, path: string, options: SendOptions = {}) {
    const headers: Record<string, string> = {};
    const wanted: Record<string, string | undefined> = {
      Origin: this.baseUrl,
      ...(this.cookie ? { Cookie: this.cookie } : {}),
      ...(options.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
      ...options.headers,
    };
    for (const [name, value] of Object.entries(wanted))
      if (value !== undefined) headers[name] = value;
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body: options.form ? new URLSearchParams(options.form).toString() : undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
    const session = response.headers.getSetCookie().find((c) => c.startsWith('oc_session='));
    if (session) {
      const pair = session.split(';')[0]!;
      this.cookie = pair === 'oc_session=' ? undefined : pair;
    }
    return response;
  }

  get(path: string, options: SendOptions = {}) {
    return this.send('GET', path, options);
  }

  post(path: string, form: Fields, options: Omit<SendOptions, 'form'> = {}) {
    return this.send('POST', path, { ...options, form });
  }
}
