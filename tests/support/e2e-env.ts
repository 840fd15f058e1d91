import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser';
import type { TestServer } from './server';

/** What a browser test file drives: its server, the browser, and what its fixtures made. */
export type E2EEnv<T> = {
  readonly server: TestServer;
  readonly browser: Browser;
  /** What the fixture server's `create` returned (undefined on a demo server). */
  readonly fixtures: T;
  /** The server's address, e.g. http://127.0.0.1:41234. */
  readonly url: string;
};

/**
 * The set-up every browser test file shares: before its tests, starts the server (a fixture
 * server from startFixtureServer, or a plain one from startServer) beside the browser's launch,
 * and after them closes both, whichever of the two started. Read the fields inside tests only.
 */
export function serverAndBrowser<T = undefined>(
  start: () => Promise<TestServer | { server: TestServer; fixtures: T }>,
): E2EEnv<T> {
  let started: { server: TestServer; browser: Browser; fixtures: T } | undefined;
  let stop: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const [server, browser] = await Promise.allSettled([start(), launchBrowser()]);
    stop = async () => {
      if (browser.status === 'fulfilled') await browser.value.close();
      if (server.status !== 'fulfilled') return;
      const running = 'fixtures' in server.value ? server.value.server : server.value;
      // A server that died under the tests fails them with its last words, not only with
      // "connection refused" on the next page.
      const died = running.exitStatus();
      await running.stop();
      if (died !== null) {
        throw new Error(`The server exited (${died}) before the tests ended:\n${running.output()}`);
      }
    };
    if (server.status === 'rejected') throw server.reason;
    if (browser.status === 'rejected') throw browser.reason;
    const value = server.value;
    started =
      'fixtures' in value
        ? { server: value.server, fixtures: value.fixtures, browser: browser.value }
        : { server: value, fixtures: undefined as T, browser: browser.value };
  });
  afterAll(() => stop());
  const get = () => {
    if (!started) throw new Error('The server and browser start in beforeAll: read them in tests');
    return started;
  };
  return {
    get server() {
      return get().server;
    },
    get browser() {
      return get().browser;
    },
    get fixtures() {
      return get().fixtures;
    },
    get url() {
      return get().server.url;
    },
  };
}
