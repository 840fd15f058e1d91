// `npm run bench`: is the organiser's list of responses as cheap deep in the list as on page 1?
// Loads BENCH_ROWS submitted responses (default 200,000) into a fresh database (Postgres at
// TEST_DATABASE_URL in a schema of its own if reachable, else in-memory PGlite), then times the
// real service call. Results are ratios against the first page measured in the same run, so they
// mean the same on any machine. OFFSET paging at the same depth is shown for comparison.
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest } from '#db/migrate';
import type { DB } from '#db/schema';
import type { Viewer } from '~/.server/auth';
import { listResponsesForOrganiser } from '~/.server/responses';
import { openBenchDatabase, time } from './support';

const ROWS = Number(process.env.BENCH_ROWS ?? 200_000);
const TARGET_RATIO = 3;

async function load(db: Kysely<DB>) {
  const consultation = await db
    .insertInto('consultations')
    .values({
      slug: 'bench',
      title: 'Benchmark',
      summary: 'Benchmark',
      run_by: 'Benchmark',
      status: 'open',
      closes_at: new Date(Date.now() + 86_400_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`insert into users (email, password_hash)
    select 'bench' || g || '@example.test', 'x' from generate_series(1, ${ROWS}) g`.execute(db);
  // Every third response shares a timestamp with its neighbours, so the id tiebreak is used.
  await sql`insert into responses (consultation_id, user_id, status, reference, current_version,
      segment, display_name, first_submitted_at, last_submitted_at)
    select ${consultation.id}, u.id, 'submitted',
      substr(h, 1, 4) || '-' || substr(h, 5, 4), 1,
      (array['founder', 'investor', 'other'])[1 + n % 3], 'Respondent ' || n,
      now() - make_interval(secs => n / 3), now() - make_interval(secs => n / 3)
    from (select id, row_number() over () as n,
            upper(lpad(to_hex(row_number() over ()), 8, '0')) as h from users) u`.execute(db);
  await sql`analyze`.execute(db);
  return consultation.id;
}

const organiser: Viewer = {
  id: '00000000-0000-0000-0000-000000000000',
  email: 'organiser@example.test',
  displayName: 'Benchmark organiser',
  segment: null,
  emailConfirmed: true,
  roles: [{ role: 'organiser', consultationId: null }],
  sessionId: 'bench',
};

const { db, name, close } = await openBenchDatabase('bench');
try {
  await migrateToLatest(db);
  const started = performance.now();
  const consultationId = await load(db);
  console.log(
    `${name}: loaded ${ROWS.toLocaleString('en-GB')} responses in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const depth = Math.floor(ROWS * 0.9);
  const deep = await db
    .selectFrom('responses')
    .select(['last_submitted_at', 'id'])
    .where('consultation_id', '=', consultationId)
    .orderBy('last_submitted_at', 'desc')
    .orderBy('id', 'desc')
    .offset(depth)
    .limit(1)
    .executeTakeFirstOrThrow();
  const cursor = Buffer.from(`${deep.last_submitted_at!.toISOString()}|${deep.id}`).toString(
    'base64url',
  );

  const first = await time(() => listResponsesForOrganiser(db, organiser, 'bench', {}));
  const keysetDeep = await time(() =>
    listResponsesForOrganiser(db, organiser, 'bench', { after: cursor }),
  );
  const filteredDeep = await time(() =>
    listResponsesForOrganiser(db, organiser, 'bench', { after: cursor, segment: 'investor' }),
  );
  const offsetDeep = await time(() =>
    db
      .selectFrom('responses')
      .select(['id', 'reference'])
      .where('consultation_id', '=', consultationId)
      .where('status', '=', 'submitted')
      .orderBy('last_submitted_at', 'desc')
      .orderBy('id', 'desc')
      .offset(depth)
      .limit(26)
      .execute(),
  );

  const ratio = (value: number) => (value / first).toFixed(2);
  console.log(`first page (baseline)                : ${first.toFixed(2)} ms`);
  console.log(
    `keyset page at row ${depth.toLocaleString('en-GB')}          : ${ratio(keysetDeep)} × baseline`,
  );
  console.log(`keyset page there, investors only     : ${ratio(filteredDeep)} × baseline`);
  console.log(`OFFSET page at the same depth (for contrast): ${ratio(offsetDeep)} × baseline`);
  const ok = keysetDeep / first <= TARGET_RATIO && filteredDeep / first <= TARGET_RATIO;
  console.log(
    ok
      ? `PASS: deep pages cost at most ${TARGET_RATIO}× the first`
      : `FAIL: deep pages cost more than ${TARGET_RATIO}× the first`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  await close();
}
