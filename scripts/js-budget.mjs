// `npm run js-budget`: how much JavaScript (gzip) each public page makes a browser download, read
// from the built client manifest (entry, root, the route and its parents, and every chunk they
// import), against the budget of 80 kB. Exits 1 when a public page is over it, or when a browser
// chunk carries a server-only library. `--sizes-advisory` (what npm test runs) reports the sizes
// but fails only on the second: the shared React DOM and Remix runtime chunk alone is 81 kB.
// Run after a build.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 80;
const client = 'build/client';
// The pages anyone can open without an account, by route id.
const PUBLIC_ROUTES = [
  'routes/_index',
  'routes/consultations._index',
  'routes/consultations.$slug._index',
  'routes/consultations.$slug.recommendations.$recommendation',
  'routes/consultations.$slug.results',
  'routes/consultations.$slug.recommendations.$recommendation_.results',
  'routes/consultations.$slug.summary._index',
];

const file = readdirSync(path.join(client, 'assets')).find((f) => /^manifest-.*\.js$/.test(f));
if (!file) throw new Error('No client manifest: run `npm run build` first.');
const source = readFileSync(path.join(client, 'assets', file), 'utf8');
const manifest = JSON.parse(source.slice(source.indexOf('{'), source.lastIndexOf('}') + 1));

const gzipSizes = new Map();
function gzipBytes(module) {
  if (!gzipSizes.has(module)) {
    gzipSizes.set(module, gzipSync(readFileSync(path.join(client, module))).length);
  }
  return gzipSizes.get(module);
}

function modulesOf(routeId) {
  const modules = new Set([manifest.entry.module, ...manifest.entry.imports]);
  for (let id = routeId; id; id = manifest.routes[id]?.parentId) {
    const route = manifest.routes[id];
    if (!route) throw new Error(`No route ${id} in the manifest`);
    modules.add(route.module);
    for (const m of route.imports ?? []) modules.add(m);
  }
  return modules;
}

// Form schemas (zod) and the name checks they run (any-ascii's tables) are for the server: a page
// that imports a schema module for a label carries them all. Labels live in app/lib/forms.
const SERVER_ONLY = [
  ['zod', /ZodError|\$ZodType/],
  ['any-ascii', /GBP\t\$/],
];
let over = 0;
let leaks = 0;
for (const module of readdirSync(path.join(client, 'assets')).filter((f) => f.endsWith('.js'))) {
  const text = readFileSync(path.join(client, 'assets', module), 'utf8');
  for (const [name, marker] of SERVER_ONLY) {
    if (marker.test(text)) {
      leaks++;
      console.log(`  OVER   ${module} carries ${name}, which only the server needs`);
    }
  }
}
console.log(`JavaScript per public page (gzip), budget ${BUDGET_KB} kB:`);
for (const id of PUBLIC_ROUTES) {
  if (!manifest.routes[id]) continue;
  const modules = [...modulesOf(id)];
  const kb = modules.reduce((sum, m) => sum + gzipBytes(m), 0) / 1024;
  const largest = modules
    .map((m) => [m, gzipBytes(m)])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([m, bytes]) => `${path.basename(m)} ${(bytes / 1024).toFixed(1)}`)
    .join(', ');
  if (kb > BUDGET_KB) over++;
  console.log(
    `  ${kb > BUDGET_KB ? 'OVER' : 'ok  '} ${kb.toFixed(1).padStart(6)} kB  ${id.replace('routes/', '')}  (largest: ${largest})`,
  );
}
console.log(
  over ? `${over} public page(s) over the budget` : 'Every public page is within the budget',
);
if (leaks) console.log(`${leaks} server-only librar${leaks === 1 ? 'y' : 'ies'} in browser chunks`);
const advisory = process.argv.includes('--sizes-advisory');
process.exitCode = leaks || (over && !advisory) ? 1 : 0;
