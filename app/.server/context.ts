/** What every domain write needs to know about the request that caused it. */
export type RequestContext = { requestId: string; clientIp: string };

declare module '@remix-run/node' {
  interface AppLoadContext {
    requestId: string;
    clientIp: string;
    /** Set-Cookie values that entry.server adds to whatever response this request gets. */
    responseCookies: string[];
    /** Set when the request is signed in: the page is personal and must not be cached. */
    personal?: boolean;
  }
}
