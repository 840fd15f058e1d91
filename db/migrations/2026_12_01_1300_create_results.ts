import { sql, type Kysely } from 'kysely';

// Frozen in time: never import application code here.
//
// Results are read from rollup tables kept by the triggers below, in the transaction of every
// change to the rows they count (submit, edit, withdrawal by deletion, moderation, consent), so
// a results page reads a number of rows that does not grow with the number of responses.
// Counters are split into 16 shards by the id of the counted row and summed on read, so that
// concurrent submits rarely wait on the same counter row. Each rollup also has a view that
// aggregates the same numbers from scratch: the rebuild command refills the tables from these
// views and its check compares the two.

const SEGMENTS = `('founder', 'investor', 'other')`;
const SHARD = (id: string) => `(get_byte(uuid_send(${id}), 15) % 16)::smallint`;
// Tones from −1 to 1; between these bounds a text reads as neutral.
const NEGATIVE = -0.1;
const POSITIVE = 0.1;

const STANCE_COLUMNS = [
  'strongly_oppose',
  'oppose',
  'neutral',
  'support',
  'strongly_support',
  'no_view',
] as const;

type Rollup = {
  table: string;
  view: string;
  /** The primary key, then columns carried along for lookups (`consultation_id`). */
  key: string[];
  /** How many of `key` form the primary key. */
  primaryKey: number;
  /** Column name → aggregate expression over `d` (with `d.sign` = ±1). */
  values: Record<string, string>;
  /** Rows of the source that count at all. */
  where: string;
  /** Extra FROM items after `d` (joined on the source). */
  join: string;
  /** Key expressions, in key order. */
  keyExpressions: string[];
  /** Set-returning expression after the FROM, for rollups of one row per phrase. */
  lateral?: string;
};

const s = (condition: string, value = 'd.sign') =>
  `sum(case when ${condition} then ${value} else 0 end)`;

// What a reason's text contributes to text analysis: nothing once a moderator has hidden it.
const TONED = `d.tone is not null and d.quote_status <> 'hidden'`;
const HAS_REASONS = `coalesce(btrim(d.reasons), '') <> ''`;

const answers: Rollup = {
  table: 'result_answer_counts',
  view: 'result_answer_counts_expected',
  key: ['recommendation_id', 'segment', 'verified', 'shard', 'consultation_id'],
  primaryKey: 4,
  keyExpressions: [
    'd.recommendation_id',
    'd.segment',
    'd.verified',
    SHARD('d.response_id'),
    'd.consultation_id',
  ],
  join: 'join recommendations r on r.id = d.recommendation_id',
  where: 'd.segment is not null',
  values: {
    answers: 'sum(d.sign)',
    no_stance: s('d.stance is null'),
    ...Object.fromEntries(STANCE_COLUMNS.map((c) => [c, s(`d.stance = '${c}'`)])),
    importance_n: s('d.importance is not null'),
    importance_sum: s('d.importance is not null', 'd.sign * d.importance'),
    importance_sumsq: s('d.importance is not null', 'd.sign * d.importance * d.importance'),
    tone_n: s(TONED),
    tone_sum: s(TONED, 'd.sign * d.tone'),
    tone_negative: s(`${TONED} and d.tone <= ${NEGATIVE}`),
    tone_neutral: s(`${TONED} and d.tone > ${NEGATIVE} and d.tone < ${POSITIVE}`),
    tone_positive: s(`${TONED} and d.tone >= ${POSITIVE}`),
    disagreements: s(`d.disagreement and d.quote_status <> 'hidden'`),
    reasons_hidden: s(`${HAS_REASONS} and d.quote_status = 'hidden'`),
    reasons_private: s(`${HAS_REASONS} and d.quote_status <> 'hidden' and d.consent = 'private'`),
    reasons_pending: s(
      `${HAS_REASONS} and d.quote_status = 'pending' and d.consent is distinct from 'private'`,
    ),
  },
};

const daily: Rollup = {
  table: 'result_daily_counts',
  view: 'result_daily_counts_expected',
  key: ['recommendation_id', 'day', 'segment', 'verified', 'shard', 'consultation_id'],
  primaryKey: 5,
  keyExpressions: [
    'd.recommendation_id',
    'd.submitted_on',
    'd.segment',
    'd.verified',
    SHARD('d.response_id'),
    'd.consultation_id',
  ],
  join: 'join recommendations r on r.id = d.recommendation_id',
  where: 'd.segment is not null and d.submitted_on is not null',
  values: {
    answers: 'sum(d.sign)',
    ...Object.fromEntries(STANCE_COLUMNS.map((c) => [c, s(`d.stance = '${c}'`)])),
  },
};

// Key phrases may become public, so only quotable reasons feed them.
const phrases: Rollup = {
  table: 'result_phrase_counts',
  view: 'result_phrase_counts_expected',
  key: ['recommendation_id', 'segment', 'verified', 'phrase', 'shard', 'consultation_id'],
  primaryKey: 5,
  keyExpressions: [
    'd.recommendation_id',
    'd.segment',
    'd.verified',
    'p.phrase',
    SHARD('d.response_id'),
    'd.consultation_id',
  ],
  join: 'join recommendations r on r.id = d.recommendation_id',
  lateral: 'cross join lateral unnest(d.phrases) as p(phrase)',
  where: `d.segment is not null and d.quote_status = 'published' and d.consent in ('named', 'anonymous')`,
  values: { count: 'sum(d.sign)' },
};

const comments: Rollup = {
  table: 'result_comment_counts',
  view: 'result_comment_counts_expected',
  key: ['recommendation_id', 'segment', 'verified', 'shard', 'consultation_id'],
  primaryKey: 4,
  keyExpressions: [
    'd.recommendation_id',
    'd.author_segment',
    'd.author_verified',
    SHARD('d.id'),
    'd.consultation_id',
  ],
  join: 'join recommendations r on r.id = d.recommendation_id',
  where: `d.status in ('visible', 'held', 'hidden')`,
  values: {
    visible: s(`d.status = 'visible'`),
    held: s(`d.status = 'held'`),
    hidden: s(`d.status = 'hidden'`),
    tone_n: s(`d.status = 'visible' and d.tone is not null`),
    tone_sum: s(`d.status = 'visible' and d.tone is not null`, 'd.sign * d.tone'),
    tone_negative: s(`d.status = 'visible' and d.tone <= ${NEGATIVE}`),
    tone_neutral: s(`d.status = 'visible' and d.tone > ${NEGATIVE} and d.tone < ${POSITIVE}`),
    tone_positive: s(`d.status = 'visible' and d.tone >= ${POSITIVE}`),
  },
};

const responses: Rollup = {
  table: 'result_response_counts',
  view: 'result_response_counts_expected',
  key: ['consultation_id', 'day', 'segment', 'verified', 'shard'],
  primaryKey: 5,
  keyExpressions: [
    'd.consultation_id',
    `(d.first_submitted_at at time zone 'UTC')::date`,
    'd.segment',
    'coalesce(d.verified, false)',
    SHARD('d.id'),
  ],
  join: 'join consultations c on c.id = d.consultation_id',
  where: `d.status = 'submitted' and d.segment is not null`,
  values: { responses: 'sum(d.sign)' },
};

const ROLLUPS = { answers, daily, phrases, comments, responses };

/** The aggregate of a rollup over `source`, a query with the counted columns and `sign`. */
function aggregate(rollup: Rollup, source: string, options: { changedOnly: boolean }) {
  const keys = rollup.keyExpressions.map((e, i) => `${e} as ${rollup.key[i]}`).join(', ');
  const values = Object.entries(rollup.values)
    .map(([column, e]) => `${e} as ${column}`)
    .join(', ');
  const groups = rollup.key.map((_, i) => i + 1).join(', ');
  // A change that adds and removes the same amount (an edit of another column) locks nothing.
  const having = options.changedOnly
    ? `having ${Object.values(rollup.values)
        .map((e) => `${e} <> 0`)
        .join(' or ')}`
    : '';
  return `select ${keys}, ${values}
    from (${source}) d ${rollup.join} ${rollup.lateral ?? ''}
    where ${rollup.where}
    group by ${groups} ${having}`;
}

/** Adds the changes in `source` to the rollup, touching rows in key order to avoid deadlocks. */
function upsert(rollup: Rollup, source: string) {
  const columns = [...rollup.key, ...Object.keys(rollup.values)];
  const conflict = rollup.key.slice(0, rollup.primaryKey);
  const updates = Object.keys(rollup.values)
    .map((c) => `${c} = t.${c} + excluded.${c}`)
    .join(', ');
  return `insert into ${rollup.table} as t (${columns.join(', ')})
    select * from (${aggregate(rollup, source, { changedOnly: true })}) g
    order by ${conflict.join(', ')}
    on conflict (${conflict.join(', ')}) do update set ${updates};`;
}

/** A statement-level trigger function applying the rows a statement inserted, updated or deleted. */
function triggerFunction(name: string, rollups: Rollup[]) {
  const inserted = `select 1 as sign, n.* from new_rows n`;
  const deleted = `select -1 as sign, o.* from old_rows o`;
  const body = (source: string) => rollups.map((r) => upsert(r, source)).join('\n');
  return `create function ${name}() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        ${body(inserted)}
      elsif tg_op = 'DELETE' then
        ${body(deleted)}
      else
        ${body(`${inserted} union all ${deleted}`)}
      end if;
      return null;
    end $$`;
}

async function createRollupTable(db: Kysely<any>, rollup: Rollup, types: Record<string, string>) {
  const conflict = rollup.key.slice(0, rollup.primaryKey);
  let builder = db.schema.createTable(rollup.table);
  for (const column of rollup.key) {
    builder = builder.addColumn(column, types[column] as 'text', (c) => c.notNull());
  }
  for (const column of Object.keys(rollup.values)) {
    const type = column === 'tone_sum' ? 'numeric' : 'integer';
    builder = builder.addColumn(column, type, (c) => c.notNull().defaultTo(0));
  }
  await builder.addPrimaryKeyConstraint(`${rollup.table}_pkey`, conflict as never).execute();
}

const KEY_TYPES: Record<string, string> = {
  recommendation_id: 'uuid',
  consultation_id: 'uuid',
  segment: 'text',
  verified: 'boolean',
  shard: 'smallint',
  day: 'date',
  phrase: 'text',
};

async function createTriggers(db: Kysely<any>, table: string, fn: string) {
  for (const event of ['insert', 'update', 'delete'] as const) {
    const referencing =
      event === 'insert'
        ? 'new table as new_rows'
        : event === 'delete'
          ? 'old table as old_rows'
          : 'new table as new_rows old table as old_rows';
    await sql
      .raw(
        `create trigger ${fn}_${event} after ${event} on ${table}
          referencing ${referencing} for each statement execute function ${fn}()`,
      )
      .execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  // What the rollups need on each counted answer, fixed when it is written: who answered (copied
  // from the response by a trigger, so a deleted response still subtracts what it added), the
  // tone of the reasons, whether that tone contradicts the stance, and the reasons' key phrases.
  await db.schema
    .alterTable('submitted_answers')
    .addColumn('segment', 'text', (c) => c.check(sql.raw(`segment in ${SEGMENTS}`)))
    .addColumn('verified', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('consent', 'text')
    .addColumn('submitted_on', 'date')
    .addColumn('tone', 'numeric(4, 3)', (c) => c.check(sql`tone between -1 and 1`))
    .addColumn('disagreement', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('phrases', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .execute();
  await db.schema
    .alterTable('comments')
    .addColumn('tone', 'numeric(4, 3)', (c) => c.check(sql`tone between -1 and 1`))
    .execute();

  await sql`create function submitted_answers_copy_response() returns trigger language plpgsql as $$
    begin
      select r.segment, coalesce(r.verified, false), r.consent,
             (r.first_submitted_at at time zone 'UTC')::date
        into new.segment, new.verified, new.consent, new.submitted_on
        from responses r where r.id = new.response_id;
      return new;
    end $$`.execute(db);
  await sql`create trigger submitted_answers_copy_response before insert on submitted_answers
    for each row execute function submitted_answers_copy_response()`.execute(db);
  await sql`create function responses_copy_to_answers() returns trigger language plpgsql as $$
    begin
      update submitted_answers
        set segment = new.segment, verified = coalesce(new.verified, false), consent = new.consent,
            submitted_on = (new.first_submitted_at at time zone 'UTC')::date
        where response_id = new.id;
      return null;
    end $$`.execute(db);
  await sql`create trigger responses_copy_to_answers after update on responses for each row
    when (old.segment is distinct from new.segment or old.verified is distinct from new.verified
      or old.consent is distinct from new.consent
      or old.first_submitted_at is distinct from new.first_submitted_at)
    execute function responses_copy_to_answers()`.execute(db);

  await createRollupTable(db, answers, KEY_TYPES);
  await createRollupTable(db, daily, KEY_TYPES);
  await createRollupTable(db, phrases, KEY_TYPES);
  await createRollupTable(db, comments, KEY_TYPES);
  await createRollupTable(db, responses, KEY_TYPES);
  // Inverse document frequency looks a phrase up across the consultation's recommendations.
  await db.schema
    .createIndex('result_phrase_counts_consultation_idx')
    .on('result_phrase_counts')
    .columns(['consultation_id', 'phrase'])
    .execute();
  // Example quotes for a phrase, and the flagged answers organisers read, without a scan.
  await sql`create index submitted_answers_quotable_idx on submitted_answers
    (recommendation_id, segment, response_id)
    where quote_status = 'published' and consent in ('named', 'anonymous')`.execute(db);
  await sql`create index submitted_answers_disagreement_idx on submitted_answers
    (recommendation_id, submitted_on desc) where disagreement`.execute(db);

  for (const rollup of Object.values(ROLLUPS)) {
    const source =
      rollup === comments
        ? 'select 1 as sign, * from comments'
        : rollup === responses
          ? 'select 1 as sign, * from responses'
          : 'select 1 as sign, * from submitted_answers';
    await sql
      .raw(`create view ${rollup.view} as ${aggregate(rollup, source, { changedOnly: false })}`)
      .execute(db);
  }

  await sql.raw(triggerFunction('results_count_answers', [answers, daily, phrases])).execute(db);
  await createTriggers(db, 'submitted_answers', 'results_count_answers');
  await sql.raw(triggerFunction('results_count_comments', [comments])).execute(db);
  await createTriggers(db, 'comments', 'results_count_comments');
  await sql.raw(triggerFunction('results_count_responses', [responses])).execute(db);
  await createTriggers(db, 'responses', 'results_count_responses');

  // Answers and responses submitted before this migration: copy who answered, then count them.
  await sql`update submitted_answers a
    set segment = r.segment, verified = coalesce(r.verified, false), consent = r.consent,
        submitted_on = (r.first_submitted_at at time zone 'UTC')::date
    from responses r where r.id = a.response_id`.execute(db);
  for (const rollup of Object.values(ROLLUPS)) {
    await sql.raw(`delete from ${rollup.table}`).execute(db);
    await sql.raw(`insert into ${rollup.table} select * from ${rollup.view}`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [table, fn] of [
    ['submitted_answers', 'results_count_answers'],
    ['comments', 'results_count_comments'],
    ['responses', 'results_count_responses'],
  ] as const) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql.raw(`drop trigger ${fn}_${event} on ${table}`).execute(db);
    }
    await sql.raw(`drop function ${fn}()`).execute(db);
  }
  for (const rollup of Object.values(ROLLUPS)) {
    await sql.raw(`drop view ${rollup.view}`).execute(db);
    await db.schema.dropTable(rollup.table).execute();
  }
  await sql`drop trigger responses_copy_to_answers on responses`.execute(db);
  await sql`drop function responses_copy_to_answers()`.execute(db);
  await sql`drop trigger submitted_answers_copy_response on submitted_answers`.execute(db);
  await sql`drop function submitted_answers_copy_response()`.execute(db);
  await db.schema.dropIndex('submitted_answers_quotable_idx').execute();
  await db.schema.dropIndex('submitted_answers_disagreement_idx').execute();
  await db.schema.alterTable('comments').dropColumn('tone').execute();
  await db.schema
    .alterTable('submitted_answers')
    .dropColumn('segment')
    .dropColumn('verified')
    .dropColumn('consent')
    .dropColumn('submitted_on')
    .dropColumn('tone')
    .dropColumn('disagreement')
    .dropColumn('phrases')
    .execute();
}
