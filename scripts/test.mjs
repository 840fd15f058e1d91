// `npm test`: every check the project has, in order, ending with one plain line
// "N passed, N failed" that counts each test and each failed check (typecheck, lint, build).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const report = '.cache/vitest-report.json';
const faultsReport = '.cache/vitest-faults-report.json';
const failedChecks = [];
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) failedChecks.push(label);
  console.log(`◀ ${label}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${seconds(started)}`);
  return result.status === 0;
}

/** Runs a check with its output held back, so checks can run side by side and print whole. */
function check(label, command, args) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => {
      console.log(`\n▶ ${label}: ${command} ${args.join(' ')}\n${output.trimEnd()}`);
      console.log(`◀ ${label}: ${code === 0 ? 'ok' : 'FAILED'} in ${seconds(started)}`);
      if (code !== 0) failedChecks.push(label);
      resolve(code === 0);
    });
  });
}

// The static checks share the machine's cores instead of queueing behind one another.
await Promise.all([
  check('typecheck', 'npx', ['tsc', '--noEmit']),
  check('lint', 'npx', ['eslint', '.']),
  check('format', 'npx', ['prettier', '--check', '.']),
]);
const built = run('build', 'npx', ['remix', 'vite:build']);
// Sizes are reported; a form schema (zod) or any-ascii in a browser chunk fails the run.
if (built) run('js-budget', 'node', ['scripts/js-budget.mjs', '--sizes-advisory']);

mkdirSync('.cache', { recursive: true });
rmSync(report, { force: true });
rmSync(faultsReport, { force: true });
const projects = built ? ['unit', 'integration', 'e2e', 'security'] : ['unit', 'integration'];
if (!built) failedChecks.push('e2e and security (not run: the build failed)');
run('tests', 'npx', [
  'vitest',
  'run',
  ...projects.flatMap((p) => ['--project', p]),
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
]);

// The fault suite's short run (tests/faults, RELIABILITY.md) restarts a Postgres cluster of its
// own under the built app and times how soon it serves again: it runs alone, after the rest, so
// that browser tests do not compete with it for the two cores.
if (built) {
  run('faults', 'npx', [
    'vitest',
    'run',
    '--project',
    'faults',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${faultsReport}`,
  ]);
} else {
  failedChecks.push('faults (not run: the build failed)');
}

let passed = 0;
let failed = 0;
for (const [label, file] of [
  ['tests', report],
  ['faults', faultsReport],
]) {
  if (label === 'faults' && !built) continue;
  try {
    const results = JSON.parse(readFileSync(file, 'utf8'));
    passed += results.numPassedTests;
    failed += results.numFailedTests;
    // A file that fails before any test runs (bad import, failed setup) counts as a failure too.
    for (const result of results.testResults) {
      if (result.status === 'failed' && result.assertionResults.length === 0) failed += 1;
    }
    if (results.numTotalTests === 0) failedChecks.push(`${label} (none ran)`);
  } catch {
    failedChecks.push(`${label} (no report: the run did not finish)`);
  }
}
// "tests" and "faults" already counted their failures one by one.
const checkFailures = failedChecks.filter((c) => c !== 'tests' && c !== 'faults');
failed += checkFailures.length;

if (checkFailures.length) console.log(`\nFailed checks: ${checkFailures.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && failedChecks.length === 0 ? 0 : 1);
