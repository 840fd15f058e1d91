// The checks every scenario ends with, and the figures a run prints.
import { spawn } from 'node:child_process';
import { sql, type Kysely } from 'kysely';
import { expect } from 'vitest';
import type { DB } from '#db/schema';
import { checkResults } from '~/.server/results';
import type { Outcome } from './client';
import { FULL, SLUG, type Scenario } from './suite';

export type Figures = {
  scenario: string;
  attempted: number;
  acknowledged: number;
  stored: number;
  duplicates: number;
  unavailable: number;
  resets: number;
  problems: number;
  /** Restarts, terminations, lock rounds, SIGTERMs or SIGKILLs injected. */
  faults?: number;
  serveAgainMs?: number[];
  lock503Ms?: number[];
  drained?: number;
  cut?: number;
};

const figures: Figures[] = [];

async function storedCount(db: Kysely<DB>, outcome: Outcome) {
  const { write } = outcome;
  const response = db
    .selectFrom('responses')
    .innerJoin('consultations', 'consultations.id', 'responses.consultation_id')
    .where('consultations.slug', '=', SLUG)
    .where('responses.user_id', '=', write.actor.userId);
  const responses = await response.select('responses.id').execute();
  const extraResponses = Math.max(0, responses.length - 1);
  if (write.kind === 'submit') {
    const versions = await response
      .innerJoin('response_versions', 'response_versions.response_id', 'responses.id')
      .select('response_versions.idempotency_key')
      .execute();
    // Each person submits once here, with one key: a second version is a duplicate.
    const mine = versions.filter((v) => v.idempotency_key === outcome.sent.submissionKey);
    return { found: mine.length, duplicates: extraResponses + Math.max(0, versions.length - 1) };
  }
  if (write.kind === 'endorse') {
    const rows = await db
      .selectFrom('endorsements')
      .innerJoin('recommendations', 'recommendations.id', 'endorsements.recommendation_id')
      .innerJoin('consultations', 'consultations.id', 'recommendations.consultation_id')
      .select('endorsements.id')
      .where('consultations.slug', '=', SLUG)
      .where('recommendations.slug', '=', write.recommendation!)
      .where('endorsements.user_id', '=', write.actor.userId)
      .execute();
    return { found: rows.length, duplicates: Math.max(0, rows.length - 1) };
  }
  const answers = await response
    .innerJoin('response_answers', 'response_answers.response_id', 'responses.id')
    .innerJoin('recommendations', 'recommendations.id', 'response_answers.recommendation_id')
    .select(['response_answers.stance', 'response_answers.reasons'])
    .where('recommendations.slug', '=', write.recommendation!)
    .execute();
  const matching = answers.filter(
    (a) => a.stance === write.fields.stance && a.reasons === write.fields.reasons,
  );
  return {
    found: matching.length,
    duplicates: extraResponses + Math.max(0, answers.length - 1),
  };
}

/** Rollups against the rows they count, through the command an operator would run. */
function resultsCheckCommand(databaseUrl: string): Promise<{ passed: boolean; output: string }> {
  return new Promise((resolve) => {
    const { DATABASE_URL: _ignored, ...env } = process.env;
    const child = spawn('npm', ['run', '--silent', 'results:rebuild', '--', '--check'], {
      env: { ...env, DATABASE_URL: databaseUrl, NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ passed: code === 0 && output.includes('Check passed'), output });
    });
  });
}

/**
 * `npm run results:rebuild -- --check`, or (to keep the short run short, where the scenario
 * does not name the command) the same check it runs, in this process.
 */
async function resultsCheck(scenario: Scenario, command: boolean) {
  if (command || FULL) return resultsCheckCommand(scenario.databaseUrl);
  const mismatches = await checkResults(scenario.db);
  return { passed: mismatches.length === 0, output: JSON.stringify(mismatches.slice(0, 20)) };
}

/** Endorsement counters that differ from the endorsement rows (the --check does not cover them). */
async function endorsementCountMismatches(db: Kysely<DB>) {
  const { rows } = await sql<{
    recommendation_id: string;
    segment: string;
    stored: number;
    rows: number;
  }>`
    select recommendation_id, segment, coalesce(c.count, 0)::int as stored, coalesce(e.n, 0)::int as rows
      from endorsement_counts c
      full join (select recommendation_id, segment, count(*) as n from endorsements group by 1, 2) e
      using (recommendation_id, segment)
     where coalesce(c.count, 0) <> coalesce(e.n, 0)`.execute(db);
  return rows;
}

/**
 * A submitted response is whole when its current version exists, the answers that count are the
 * ones that version recorded, and each version has its audit event; every response has answers.
 */
export async function halfWritten(db: Kysely<DB>, userIds: string[]) {
  const { rows } = await sql<{ id: string; problem: string }>`
    with mine as (
      select r.*, (select count(*) from response_versions v where v.response_id = r.id) as versions,
             (select count(*) from audit_events a
               where a.target_id = r.id::text and a.action like 'response.%submitted') as events
        from responses r where r.user_id = any(${userIds}::uuid[])
    )
    select id, 'no answers' as problem from mine m
     where not exists (select 1 from response_answers a where a.response_id = m.id)
    union all
    select m.id, 'submitted answers differ from version ' || m.current_version from mine m
      left join response_versions v on v.response_id = m.id and v.number = m.current_version
     where m.status = 'submitted'
       and (v.id is null or jsonb_array_length(v.snapshot -> 'answers')
            <> (select count(*) from submitted_answers s where s.response_id = m.id))
    union all
    select id, versions || ' submitted versions but ' || events || ' audit events' from mine
     where status = 'submitted' and versions <> events`.execute(db);
  return rows.map((r) => `response ${r.id}: ${r.problem}`);
}

/**
 * The checks every scenario ends with, as soft expectations so a run reports each failure:
 * every write acknowledged, every acknowledged write stored exactly once, nothing but a 503 with
 * Retry-After (and what was typed) on the way, and rollups equal to the rows they count.
 */
export async function verify(
  scenario: Scenario,
  outcomes: Outcome[],
  extra: Partial<Figures> & {
    resetsExpected?: boolean;
    /** Check the rollups through the `results:rebuild -- --check` command even in a short run. */
    command?: boolean;
  } = {},
) {
  const { resetsExpected, command = false, ...more } = extra;
  let stored = 0;
  let duplicates = 0;
  const missing: string[] = [];
  for (const outcome of outcomes) {
    const { found, duplicates: extraRows } = await storedCount(scenario.db, outcome);
    duplicates += extraRows;
    if (outcome.acknowledged && found === 1) stored += 1;
    if (outcome.acknowledged && found !== 1) {
      missing.push(`${outcome.write.kind} by tester ${outcome.write.actor.index}: found ${found}`);
    }
  }
  const unavailable = outcomes.flatMap((o) => o.unavailable);
  const result: Figures = {
    scenario: scenario.label,
    attempted: outcomes.length,
    acknowledged: outcomes.filter((o) => o.acknowledged).length,
    stored,
    duplicates,
    unavailable: unavailable.length,
    resets: outcomes.reduce((n, o) => n + o.resets, 0),
    problems: outcomes.reduce((n, o) => n + o.problems.length, 0),
    ...more,
  };
  figures.push(result);

  const check = await resultsCheck(scenario, command);
  const counters = await endorsementCountMismatches(scenario.db);
  const problems = outcomes.flatMap((o) => o.problems);
  const requestIds = problems.map((p) => /\(request (.+)\)$/.exec(p)?.[1]).filter(Boolean);
  const logged = scenario
    .appOutput()
    .split('\n')
    .filter((line) => requestIds.some((id) => line.includes(id!)));
  expect
    .soft(problems, `answers other than a 503; the app logged:\n${logged.join('\n')}`)
    .toEqual([]);
  if (!resetsExpected) expect.soft(result.resets, 'connections reset or refused').toBe(0);
  expect
    .soft(unavailable.filter((u) => !u.retryAfter).length, '503 answers without Retry-After')
    .toBe(0);
  expect
    .soft(unavailable.filter((u) => !u.keptTyped).length, '503 pages without what was typed')
    .toBe(0);
  expect.soft(result.acknowledged, 'writes acknowledged in the end').toBe(result.attempted);
  expect.soft(missing, 'acknowledged writes not stored exactly once').toEqual([]);
  expect.soft(duplicates, 'duplicate rows').toBe(0);
  expect.soft(check.passed, `results:rebuild -- --check\n${check.output}`).toBe(true);
  expect.soft(counters, 'endorsement counters that differ from the rows').toEqual([]);
  return result;
}

/** The figures of every scenario of the run, as a markdown table and one JSON line. */
export function printFigures() {
  const span = (values?: number[]) =>
    values?.length ? `${Math.min(...values)}–${Math.max(...values)}` : '–';
  const median = (values?: number[]) => {
    if (!values?.length) return '–';
    const sorted = [...values].sort((a, b) => a - b);
    return String(sorted[Math.floor(sorted.length / 2)]);
  };
  const lines = [
    '| scenario | writes attempted | acknowledged | stored once | duplicates | 503s | resets | serve again after the fault (ms) | 503 under a lock (ms, median / max) | SIGTERM drained / cut |',
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
    ...figures.map(
      (f) =>
        `| ${f.scenario} | ${f.attempted} | ${f.acknowledged} | ${f.stored} | ${f.duplicates} | ${f.unavailable} | ${f.resets} | ${span(f.serveAgainMs)} | ${f.lock503Ms?.length ? `${median(f.lock503Ms)} / ${Math.max(...f.lock503Ms)}` : '–'} | ${f.drained === undefined ? '–' : `${f.drained} / ${f.cut}`} |`,
    ),
  ];
  console.log(`\nFault suite figures (${FULL ? 'full' : 'short'} run):\n${lines.join('\n')}`);
  console.log(
    `FAULT_FIGURES ${JSON.stringify({ full: FULL, at: new Date().toISOString(), figures })}`,
  );
}
