// The HTTP edge: Express serves static files and hands every other request to Remix. It opens,
// migrates and seeds the database (through the server build's `startup`) before it listens,
// refuses malformed and oversized requests itself, and drains before it stops.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { Readable } from 'node:stream';
import { createRequestHandler } from '@remix-run/express';
import compression from 'compression';
import express from 'express';
import expressStaticGzip from 'express-static-gzip';
import {
  badRequestPage,
  describeError,
  log,
  serverErrorPage,
  tooLargePage,
  unsafeUrlReason,
} from './server/edge.js';
import { contentSecurityPolicy, makeNonce } from './server/csp.js';

const dev = process.argv.includes('--dev');
const vite = dev
  ? await import('vite').then((v) => v.createServer({ server: { middlewareMode: true } }))
  : undefined;
// Vite's dev server exits on SIGTERM by itself, skipping the drain below (which closes Vite too).
for (const listener of vite ? process.listeners('SIGTERM') : []) process.off('SIGTERM', listener);
const loadBuild = () =>
  vite ? vite.ssrLoadModule('virtual:remix/server-build') : import('./build/server/index.js');

const build = await loadBuild().catch((error) => {
  console.error(
    dev ? error : 'No server build found: run `npm run build` first (or `npm start`, which does).',
  );
  process.exit(1);
});
const { startup, shutdown, beginDrain, isDatabaseUnavailable, MAX_FORM_BYTES, getDb } =
  build.entry.module;

// A refused body is read and thrown away up to this much, so the client, still sending, can read
// the 413 page instead of a connection reset; past it the connection is cut.
const DISCARD_LIMIT_BYTES = 16 * MAX_FORM_BYTES;

let report;
try {
  report = await startup();
} catch (error) {
  console.error(`Could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

let draining = false;
/** Responses not yet finished, for the drain on SIGTERM. */
const inFlight = new Set();
/** Each open connection: when it was accepted, how many requests it has carried, how many run. */
const connections = new Map();

function trackRequest(req, res) {
  const connection = connections.get(req.socket);
  if (connection) {
    connection.requests++;
    connection.active++;
  }
  inFlight.add(res);
  res.once('close', () => {
    inFlight.delete(res);
    if (connection) connection.active--;
    // While draining, a keep-alive connection closes as soon as its current response is out.
    if (draining && connection?.active === 0) req.socket.end();
  });
  if (draining) res.set('Connection', 'close');
}

const app = express();
app.disable('x-powered-by');
app.set('trust proxy', report.trustProxyHops);
app.use(compression());

app.use((req, res, next) => {
  res.locals.requestId = randomUUID();
  res.set({
    'X-Request-Id': res.locals.requestId,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
    // The site uses none of these; a page (or anything injected into one) cannot ask for them.
    'Permissions-Policy':
      'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
  });
  // Vite's dev server injects inline scripts of its own (hot reload), so development runs without.
  if (!vite) {
    res.locals.cspNonce = makeNonce();
    res.set(
      'Content-Security-Policy',
      contentSecurityPolicy(res.locals.cspNonce, { production: report.isProduction }),
    );
  }
  if (report.isProduction) {
    res.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  }
  trackRequest(req, res);
  next();
});

function sendEdgePage(res, status, html) {
  res
    .status(status)
    .set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
    .send(html);
}

app.use((req, res, next) => {
  const reason = unsafeUrlReason(req.url);
  if (!reason) return next();
  sendEdgePage(res, 400, badRequestPage(reason, res.locals.requestId));
});

/**
 * Answers 413 at once, then reads and discards what is still coming before closing the
 * connection: closing while the client sends makes its kernel reset the connection, and the
 * reset can arrive before the client has read our answer.
 */
function refuseTooLarge(req, res) {
  const html = tooLargePage(MAX_FORM_BYTES, res.locals.requestId);
  res.status(413).set({
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(html)),
    'Cache-Control': 'no-store',
    Connection: 'close',
  });
  if (req.complete) {
    res.end(html);
    return;
  }
  res.write(html);
  let discarded = 0;
  req.on('data', (chunk) => {
    discarded += chunk.length;
    if (discarded > DISCARD_LIMIT_BYTES) req.socket.destroy();
  });
  req.once('end', () => res.end());
  req.resume();
}

/**
 * A body without a Content-Length (chunked) is read here, at most MAX_FORM_BYTES of it, because
 * the app's own limit (http.ts) can only stop reading by destroying the request, and with it the
 * socket. Remix then reads the buffered copy.
 */
function readChunkedBody(req, res, next) {
  const chunks = [];
  let size = 0;
  const onData = (chunk) => {
    size += chunk.length;
    if (size <= MAX_FORM_BYTES) {
      chunks.push(chunk);
      return;
    }
    req.off('data', onData);
    req.off('end', onEnd);
    req.pause();
    refuseTooLarge(req, res);
  };
  const onEnd = () => {
    res.locals.body = Buffer.concat(chunks);
    next();
  };
  req.on('data', onData);
  req.once('end', onEnd);
}

app.use((req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  const declared = req.get('Content-Length');
  if (declared === undefined) {
    if (req.get('Transfer-Encoding')) return readChunkedBody(req, res, next);
    return next();
  }
  if (Number(declared) <= MAX_FORM_BYTES) return next();
  if (Number(declared) > DISCARD_LIMIT_BYTES) {
    const html = tooLargePage(MAX_FORM_BYTES, res.locals.requestId);
    res.set('Connection', 'close');
    sendEdgePage(res, 413, html);
    return;
  }
  refuseTooLarge(req, res);
});

// Cross-site form posts are refused: the session cookie is SameSite=Lax, and this closes the rest.
// Browsers send Origin with every POST; `Origin: null` (a sandboxed frame, a page that hid its
// origin) is refused too, and so is a request whose only clue, the Referer, is another site.
// The host must be the one asked for, read as Remix reads it (X-Forwarded-Host, else Host), so
// that a post we let through is never one Remix's own check then fails with a 500. With APP_URL
// set the whole origin must match it as well, scheme included: http://our-host is not us.
app.use((req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  const from = req.get('Origin') ?? req.get('Referer');
  if (from !== undefined && !isOurs(from, req)) {
    res.status(403).type('text').send('Cross-site form submissions are not accepted.');
    return;
  }
  next();
});

function isOurs(address, req) {
  let url;
  try {
    url = new URL(address);
  } catch {
    return false; // "null", or not an address at all
  }
  if (report.siteOrigin && url.origin !== report.siteOrigin) return false;
  const host = req.get('X-Forwarded-Host')?.split(',')[0]?.trim() || req.get('Host');
  return url.host === host;
}

if (vite) {
  app.use(vite.middlewares);
} else {
  // The build wrote .br and .gz beside each browser file (vite.config.ts): they are sent as they
  // are, with Vary: Accept-Encoding, and `compression()` above leaves an encoded body alone.
  // Hashed file names never change, so assets are cached for a year.
  const precompressedOptions = (maxAge, immutable) => ({
    enableBrotli: true,
    orderPreference: ['br', 'gz'],
    index: false,
    serveStatic: { maxAge, immutable },
  });
  app.use('/assets', expressStaticGzip('build/client/assets', precompressedOptions('1y', true)));
  app.use(expressStaticGzip('build/client', precompressedOptions('1h', false)));
}

const handleWithRemix = createRequestHandler({
  build: vite ? () => loadBuild() : build,
  // Remix puts error stacks into the page in development mode: only the Vite dev server gets it.
  mode: vite ? 'development' : 'production',
  getLoadContext: (req, res) => ({
    // The one instance startup() opened and migrated, from the same build module.
    db: getDb(),
    requestId: res.locals.requestId,
    clientIp: req.ip ?? '',
    cspNonce: res.locals.cspNonce,
    responseCookies: [],
  }),
});

/**
 * What Remix reads for a request whose chunked body was already read: the buffered body as a
 * stream, with the request's own URL, headers and address (what the Express adapter uses).
 */
function withBufferedBody(req, body) {
  const { 'transfer-encoding': _chunked, ...headers } = req.headers;
  return Object.assign(Readable.from([body], { objectMode: false }), {
    method: req.method,
    headers: { ...headers, 'content-length': String(body.length) },
    originalUrl: req.originalUrl,
    protocol: req.protocol,
    hostname: req.hostname,
    ip: req.ip,
    get: (name) => req.get(name),
  });
}

app.all('*', (req, res, next) =>
  handleWithRemix(res.locals.body ? withBufferedBody(req, res.locals.body) : req, res, next),
);

// The last word on anything that escaped: logged with its stack, answered with a plain page.
// Express's own handler would put the stack and server paths in the page outside production.
// Express knows an error handler by its four parameters, so `_next` stays.
app.use((error, req, res, _next) => {
  const requestId = res.locals.requestId;
  const status = Number(error?.status ?? error?.statusCode);
  const refused = status >= 400 && status < 500;
  log(refused ? 'warn' : 'error', refused ? 'request refused' : 'request failed', {
    requestId,
    method: req.method,
    path: req.path,
    status: refused ? status : 500,
    ...describeError(error),
  });
  if (res.headersSent) {
    // Half a page has gone out; cutting the connection is the only honest ending.
    res.destroy();
    return;
  }
  if (dev && !refused) {
    res
      .status(500)
      .type('text')
      .send(error instanceof Error ? error.stack : String(error));
    return;
  }
  if (status === 413) sendEdgePage(res, 413, tooLargePage(MAX_FORM_BYTES, requestId));
  else if (refused) {
    sendEdgePage(res, 400, badRequestPage('The request could not be understood.', requestId));
  } else sendEdgePage(res, 500, serverErrorPage(requestId));
});

// A slow client (slow-loris) may hold a socket for REQUEST_TIMEOUT_MS (30 s), not Node's default
// 300 s, and Node checks the limits every second instead of every 30 s, so a trickling body or
// header is answered 408 and cut within about a second of its limit.
const server = http.createServer(
  {
    requestTimeout: report.requestTimeoutMs,
    headersTimeout: report.headersTimeoutMs,
    connectionsCheckingInterval: 1_000,
  },
  app,
);
server.listen(report.port, report.host, () => {
  const { port } = server.address();
  const lines = [
    '',
    `  Open Consultation is running at http://localhost:${port}`,
    `  Database: ${report.database}${report.migrated.length ? ` (applied ${report.migrated.length} migration(s))` : ''}`,
    report.mail === 'smtp'
      ? '  Email: sent through SMTP_URL'
      : `  Email: kept in the database, read at http://localhost:${port}/dev/outbox (set SMTP_URL to send)`,
  ];
  if (report.seed?.sampleResponses) {
    const { responses, milliseconds } = report.seed.sampleResponses;
    lines.push(`  Sample responses: ${responses} seeded in ${milliseconds} ms (SEED_RESPONSES)`);
  }
  if (report.seed) {
    lines.push('', '  Demo accounts (demo data only; set SEED_DEMO=false to turn off):');
    for (const a of report.seed.accounts) {
      lines.push(
        `    ${(a.role ?? a.segment).padEnd(10)} ${a.email.padEnd(22)} password: ${a.password}`,
      );
    }
  }
  lines.push('');
  console.log(lines.join('\n'));
});
// Longer than the 60 s idle timeout of common load balancers, so they never reuse a socket that
// we are closing at that moment (which they report as a 502).
server.keepAliveTimeout = 65_000;
let accepted = 0;
server.on('connection', (socket) => {
  connections.set(socket, { acceptedAt: Date.now(), requests: 0, active: 0 });
  accepted++;
  socket.once('close', () => connections.delete(socket));
});

// A connection accepted but whose first request has not been read yet is not idle: its client
// has probably sent the request already. Closing it would reset it, so it gets this long.
const FIRST_REQUEST_GRACE_MS = 1_000;

/** Requests still running, and new connections still within their grace for a first request. */
function busyCount() {
  const now = Date.now();
  let waiting = 0;
  for (const c of connections.values()) {
    if (c.requests === 0 && now - c.acceptedAt < FIRST_REQUEST_GRACE_MS) waiting++;
  }
  return inFlight.size + waiting;
}

function closeIdleKeepAliveConnections() {
  for (const [socket, c] of connections) {
    if (c.requests > 0 && c.active === 0) socket.end();
  }
}

let stopping = null;

/**
 * Stops gracefully: readiness turns 503, the listening socket closes, requests in flight get
 * their answers (with `Connection: close`), idle keep-alive connections close, and what is still
 * running after SHUTDOWN_TIMEOUT_MS is cut. Then the database closes. Exit code 1 when requests
 * were cut or when a fatal error started it, so a supervisor can tell.
 */
function stop(reason, exitCode = 0) {
  stopping ??= drainAndExit(reason, exitCode);
  return stopping;
}

async function drainAndExit(reason, exitCode) {
  draining = true;
  log('info', 'shutting down: draining', { reason, inFlight: inFlight.size });
  beginDrain();
  for (const res of inFlight) {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  }
  await acceptWhatIsWaiting();
  // net's close, not http's: http's also closes every connection without a request in progress,
  // including new ones whose request is on its way.
  net.Server.prototype.close.call(server);
  log('info', 'shutting down: no longer accepting connections', { inFlight: inFlight.size });
  closeIdleKeepAliveConnections();
  const drained = await waitForInFlight(report.shutdownTimeoutMs);
  let code = exitCode;
  if (drained) {
    log('info', 'shutting down: requests in flight finished');
  } else {
    log('error', 'shutting down: requests cut after the timeout', {
      cut: inFlight.size,
      timeoutMs: report.shutdownTimeoutMs,
    });
    code = 1;
  }
  server.closeAllConnections();
  try {
    await vite?.close();
    // PGlite keeps the process alive until it is closed (docs/decisions/0012).
    await shutdown();
    log('info', 'shutting down: database closed', { exitCode: code });
  } catch (error) {
    log('error', 'shutting down: closing the database failed', describeError(error));
    code = 1;
  }
  process.exit(code);
}

/**
 * Connections the kernel completed before the signal wait in its backlog until Node accepts
 * them, and closing the listening socket resets them: a client that sent its request before
 * the signal would see an error. So keep accepting until a few turns of the event loop bring
 * none (bounded, for a client that keeps connecting).
 */
async function acceptWhatIsWaiting() {
  let quietTurns = 0;
  for (let turn = 0; turn < 200 && quietTurns < 3; turn++) {
    const before = accepted;
    await new Promise((resolve) => setImmediate(resolve));
    quietTurns = accepted === before ? quietTurns + 1 : 0;
  }
}

function waitForInFlight(timeoutMs) {
  return new Promise((resolve) => {
    const check = () => {
      if (busyCount() > 0) return;
      clearTimeout(timer);
      clearInterval(poll);
      resolve(true);
    };
    const timer = setTimeout(() => {
      clearInterval(poll);
      resolve(false);
    }, timeoutMs);
    const poll = setInterval(check, 25);
    check();
  });
}

process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

// A database that went away mid-request is survived (the pool replaces the connection); anything
// else means the process is in an unknown state: drain what we can and let a supervisor restart us.
function onProcessError(kind, error) {
  if (isDatabaseUnavailable(error)) {
    log('warn', `${kind}: the database was unavailable; carrying on`, describeError(error));
    return;
  }
  log('fatal', `${kind}: stopping`, describeError(error));
  void stop(kind, 1);
}
process.on('unhandledRejection', (reason) => onProcessError('unhandledRejection', reason));
process.on('uncaughtException', (error) => onProcessError('uncaughtException', error));
