// The HTTP edge: Express serves static files and hands every other request to Remix. It opens,
// migrates and seeds the database (through the server build's `startup`) before it listens.
import { randomUUID } from 'node:crypto';
import { createRequestHandler } from '@remix-run/express';
import compression from 'compression';
import express from 'express';

const dev = process.argv.includes('--dev');
const vite = dev
  ? await import('vite').then((v) => v.createServer({ server: { middlewareMode: true } }))
  : undefined;
const loadBuild = () =>
  vite ? vite.ssrLoadModule('virtual:remix/server-build') : import('./build/server/index.js');

const build = await loadBuild().catch((error) => {
  console.error(
    dev ? error : 'No server build found: run `npm run build` first (or `npm start`, which does).',
  );
  process.exit(1);
});
const { startup, shutdown } = build.entry.module;

let report;
try {
  report = await startup();
} catch (error) {
  console.error(`Could not start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
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
  });
  if (report.isProduction) res.set('Strict-Transport-Security', 'max-age=31536000');
  next();
});

// Cross-site form posts are refused: the session cookie is SameSite=Lax, and this closes the rest.
app.use((req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  const origin = req.get('Origin');
  if (origin && origin !== 'null') {
    let host;
    try {
      host = new URL(origin).host;
    } catch {
      host = null;
    }
    if (host !== req.get('Host')) {
      res.status(403).type('text').send('Cross-site form submissions are not accepted.');
      return;
    }
  }
  next();
});

if (vite) {
  app.use(vite.middlewares);
} else {
  app.use('/assets', express.static('build/client/assets', { immutable: true, maxAge: '1y' }));
  app.use(express.static('build/client', { maxAge: '1h' }));
}

app.all(
  '*',
  createRequestHandler({
    build: vite ? () => loadBuild() : build,
    // Remix puts error stacks into the page in development mode: only the Vite dev server gets it.
    mode: vite ? 'development' : 'production',
    getLoadContext: (req, res) => ({
      requestId: res.locals.requestId,
      clientIp: req.ip ?? '',
      responseCookies: [],
    }),
  }),
);

const server = app.listen(report.port, report.host, () => {
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

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} received: closing`);
  server.close();
  server.closeAllConnections?.();
  await vite?.close();
  // PGlite keeps the process alive until it is closed (see shared/STACK.md).
  await shutdown();
  process.exit(0);
}
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
