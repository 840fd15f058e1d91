import type { Database } from './db';

/** What every domain write needs to know about the request that caused it. */
export type RequestContext = { requestId: string; clientIp: string };

declare module '@remix-run/node' {
  interface AppLoadContext {
    /**
     * The database this request reads and writes: server.js passes the server build's one
     * instance (getDb), tests pass their own.
     */
    db: Database;
    requestId: string;
    clientIp: string;
    /** The nonce the response's Content-Security-Policy allows inline scripts with (server.js). */
    cspNonce?: string;
    /** Set-Cookie values that entry.server adds to whatever response this request gets. */
    responseCookies: string[];
    /** Set when the request is signed in: the page is personal and must not be cached. */
    personal?: boolean;
  }
}
