// `npm test`: every check the project has, in order, ending with one plain line
// "N passed, N failed" that counts each test and each failed check (typecheck, lint, build).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const report = '.cache/vitest-report.json';
const failedChecks = [];

function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) failedChecks.push(label);
  return result.status === 0;
}

run('typecheck', 'npx', ['tsc', '--noEmit']);
run('lint', 'npx', ['eslint', '.']);
run('format', 'npx', ['prettier', '--check', '.']);
const built = run('build', 'npx', ['remix', 'vite:build']);

mkdirSync('.cache', { recursive: true });
rmSync(report, { force: true });
const projects = built ? ['unit', 'integration', 'e2e'] : ['unit', 'integration'];
if (!built) failedChecks.push('e2e (not run: the build failed)');
run('tests', 'npx', [
  'vitest',
  'run',
  ...projects.flatMap((p) => ['--project', p]),
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
]);

let passed = 0;
let failed = 0;
try {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests;
  // A file that fails before any test runs (bad import, failed setup) counts as a failure too.
  for (const file of results.testResults) {
    if (file.status === 'failed' && file.assertionResults.length === 0) failed += 1;
  }
  if (results.numTotalTests === 0) failedChecks.push('tests (none ran)');
} catch {
  failedChecks.push('tests (no report: the run did not finish)');
}
// "tests" already counted its failures one by one.
const checkFailures = failedChecks.filter((c) => c !== 'tests');
failed += checkFailures.length;

if (checkFailures.length) console.log(`\nFailed checks: ${checkFailures.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && failedChecks.length === 0 ? 0 : 1);
