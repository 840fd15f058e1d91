import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SIGN_IN_ATTEMPTS_PER_ACCOUNT } from '~/.server/auth/sign-in-limits';
import { startServer, type TestServer } from '#tests/support/server';

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ SHUTDOWN_TIMEOUT_MS: '30000' });
});
afterAll(async () => {
  await server?.stop();
});

type Outcome =
  | { ok: true; status: number; connection: string | undefined; body: string; at: number }
  | { ok: false; error: string };

function request(
  agent: http.Agent,
  method: string,
  path: string,
  body?: string,
): Promise<Outcome & { socket?: net.Socket }> {
  return new Promise((resolve) => {
    const req = http.request(
      `${server.url}${path}`,
      {
        agent,
        method,
        headers: body
          ? {
              'Content-Type': 'application/x-www-form-urlencoded',
              'Content-Length': Buffer.byteLength(body),
            }
          : {},
      },
      (res) => {
        const socket = res.socket;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            ok: true,
            status: res.statusCode!,
            connection: res.headers.connection,
            body: text,
            at: Date.now(),
            socket,
          }),
        );
        res.on('error', (error) => resolve({ ok: false, error: String(error) }));
      },
    );
    req.on('error', (error) => resolve({ ok: false, error: String(error) }));
    req.end(body);
  });
}

function connectionRefused(port: number) {
  return new Promise<string>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
  });
}

test('SIGTERM lets every sign-in in flight finish over keep-alive, refuses new connections and exits 0', async () => {
  const accounts = [...server.output().matchAll(/(\S+@demo\.test)\s+password: (\S+)/g)].map(
    ([, email, password]) => ({ email: email!, password: password! }),
  );
  expect(accounts.length).toBeGreaterThan(1);
  const port = Number(new URL(server.url).port);

  // An idle keep-alive connection, which the drain must close rather than wait on.
  const idleAgent = new http.Agent({ keepAlive: true });
  const warm = await request(idleAgent, 'GET', '/login');
  expect(warm.ok && warm.status).toBe(200);
  const idleClosed = new Promise((resolve) => warm.socket!.once('close', resolve));

  // Each sign-in costs an argon2 hash and writes a session: a few dozen take a while. An account
  // takes five simultaneous attempts before they must take turns, so each gets at most five.
  const count = Math.min(30, accounts.length * SIGN_IN_ATTEMPTS_PER_ACCOUNT.free);
  const agent = new http.Agent({ keepAlive: true, maxSockets: count });
  const writes = Array.from({ length: count }, (_, i) => {
    const { email, password } = accounts[i % accounts.length]!;
    const form = new URLSearchParams({ email, password, redirectTo: '/' }).toString();
    return request(agent, 'POST', '/login', form);
  });

  // Long enough for the requests to be written, far shorter than 30 argon2 hashes.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const signalledAt = Date.now();
  process.kill(server.pid, 'SIGTERM');
  await expect
    .poll(() => server.output(), { timeout: 10_000 })
    .toContain('no longer accepting connections');
  const refused = await connectionRefused(port);

  const outcomes = await Promise.all(writes);
  const exitCode = await server.exited;

  expect(outcomes.filter((o) => !o.ok)).toEqual([]);
  const answered = outcomes.filter((o) => o.ok);
  expect(answered.map((o) => o.status)).toEqual(Array(count).fill(302));
  // The signal really came while sign-ins were running: those answered during the drain closed
  // their keep-alive connection.
  expect(answered.filter((o) => o.at >= signalledAt).length).toBeGreaterThan(0);
  expect(answered.filter((o) => o.connection === 'close').length).toBeGreaterThan(0);
  expect(refused).toBe('ECONNREFUSED');
  await idleClosed;
  expect(exitCode).toBe(0);
  expect(server.output()).toContain('shutting down: database closed');
  agent.destroy();
  idleAgent.destroy();
}, 120_000);

test('a request that outlasts SHUTDOWN_TIMEOUT_MS is cut, the log counts it, and the exit code is 1', async () => {
  const slow = await startServer({ SHUTDOWN_TIMEOUT_MS: '500', SEED_RESPONSES: '0' });
  try {
    // A form post that promises 100 bytes and sends 10: it stays in flight until cut.
    const { port } = new URL(slow.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      [
        'POST /login HTTP/1.1',
        'Host: 127.0.0.1',
        'Content-Type: application/x-www-form-urlencoded',
        'Content-Length: 100',
        '',
        'email=a%40',
      ].join('\r\n'),
    );
    // Time for the server to read the headers; the drain would wait for the body for ever.
    await new Promise((resolve) => setTimeout(resolve, 200));

    process.kill(slow.pid, 'SIGTERM');

    expect(await slow.exited).toBe(1);
    await closed;
    expect(slow.output()).toMatch(
      /"message":"shutting down: requests cut after the timeout","cut":1/,
    );
  } finally {
    await slow.stop();
  }
}, 120_000);
