// Weir conformance scenario, played by a Node.js service using mysql2 (promise API).
//
// The service opens one connection and walks through the story on it, because the temporary
// tables and the batch-mode switch live in the Flink session behind it. `.query()` uses the
// text protocol and `.execute()` server-side prepared statements (COM_STMT_PREPARE/EXECUTE).
// After the first failure the remaining story steps are skipped as blocked; the two login steps
// open their own connections and always run unless WEIR_SKIP_AUTH_STEPS=1.
//
// Environment: WEIR_HOST, WEIR_PORT (127.0.0.1:3307), WEIR_USER (root), WEIR_PASSWORD (empty),
// WEIR_TLS_CA, WEIR_SKIP_AUTH_STEPS. mysql2 is loaded from NODE_PATH (the cache dir, see
// conformance/env.sh). Run: conformance/clients/node/run.sh
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// ES modules ignore NODE_PATH; a CommonJS require() honours it.
const mysql = createRequire(import.meta.url)('mysql2/promise');

const server = {
  host: process.env.WEIR_HOST ?? '127.0.0.1',
  port: Number(process.env.WEIR_PORT ?? '3307'),
  connectTimeout: 10_000,
};
const USER = process.env.WEIR_USER ?? 'root';
const PASSWORD = process.env.WEIR_PASSWORD ?? '';
const TLS_CA = process.env.WEIR_TLS_CA || undefined;
const SKIP_AUTH = process.env.WEIR_SKIP_AUTH_STEPS === '1';
const TABLE = 't_mysql2';
const SINK = 'sink_mysql2';
const TRICKY_TEXT = "it's a \\ test"; // a quote and a backslash
const JOB_ID = /\b[0-9a-fA-F]{32}\b/;

let conn;
let jobId;
let blockedBy;

after(async () => {
  await conn?.end().catch(() => {});
});

/** One step of the story; skipped as blocked once an earlier step failed. */
function step(name, body) {
  test(name, async (t) => {
    if (blockedBy) {
      t.skip(`blocked: step "${blockedBy}" failed`);
      return;
    }
    try {
      await body();
    } catch (err) {
      blockedBy = name;
      throw err;
    }
  });
}

/** A login step on its own connection; skipped only by WEIR_SKIP_AUTH_STEPS=1. */
function authStep(name, makeOptions) {
  test(name, { skip: SKIP_AUTH && 'WEIR_SKIP_AUTH_STEPS=1' }, async () => {
    const options = makeOptions();
    const c = await mysql.createConnection({ ...server, ...options });
    try {
      if (options.ssl) {
        assert.equal(c.connection.stream.encrypted, true, 'connected, but not over TLS');
      }
      const [rows] = await c.query({ sql: 'SELECT 1', rowsAsArray: true });
      assert.deepEqual(rows, [[1]]);
    } finally {
      await c.end();
    }
  });
}

async function single(sql) {
  const [rows] = await conn.query({ sql, rowsAsArray: true });
  assert.equal(rows.length, 1, `${sql} returned ${rows.length} rows`);
  assert.equal(rows[0].length, 1, `${sql} returned ${rows[0].length} columns`);
  return rows[0][0];
}

function assertInteger(what, value, wanted) {
  assert.ok(Number.isInteger(value), `${what} is ${JSON.stringify(value)} (${typeof value}), wanted an integer`);
  assert.equal(value, wanted, `${what} is ${value}, wanted ${wanted}`);
}

async function expectError(sql, errno, sqlState) {
  await assert.rejects(conn.query(sql), (err) => {
    assert.equal(`${err.errno} (${err.sqlState})`, `${errno} (${sqlState})`,
      `${sql} failed with ${err.errno} (${err.sqlState}) ${err.message}`);
    return true;
  }, `${sql} succeeded, wanted error ${errno} (${sqlState})`);
}

/** Runs a statement that must come back as an OK packet (a ResultSetHeader, not rows). */
async function ok(sql) {
  const [result] = await conn.query(sql);
  assert.ok(!Array.isArray(result), `${sql} answered with a result set, wanted an OK packet`);
  return result;
}

// a. connect
step('a1 service connects and SELECT 1 returns integer 1', async () => {
  conn = await mysql.createConnection({ ...server, user: USER, password: PASSWORD });
  assertInteger('SELECT 1', await single('SELECT 1'), 1);
});
step('a2 current database is default_database', async () => {
  assert.equal(await single('SELECT DATABASE()'), 'default_database');
});
step('a3 @@version_comment is not empty', async () => {
  const comment = await single('SELECT @@version_comment');
  assert.ok(typeof comment === 'string' && comment.trim() !== '', `@@version_comment is ${JSON.stringify(comment)}`);
});
step('a4 @@autocommit is integer 1', async () => {
  assertInteger('@@autocommit', await single('SELECT @@autocommit'), 1);
});

// b. a datagen table
step('b creates a temporary datagen table of 100 rows', async () => {
  await ok(`CREATE TEMPORARY TABLE ${TABLE} (id BIGINT, name STRING, price DECIMAL(10,2)) `
    + "WITH ('connector'='datagen','number-of-rows'='100','fields.id.kind'='sequence',"
    + "'fields.id.start'='1','fields.id.end'='100','fields.name.length'='5')");
});

// c. a batch aggregate
step('c1 switches the session to batch mode', async () => {
  await ok("SET 'execution.runtime-mode' = 'batch'");
});
step('c2 counts 100 rows whose ids sum to 5050', async () => {
  const [rows, fields] = await conn.query({ sql: `SELECT COUNT(*) AS n, SUM(id) AS s FROM ${TABLE}`, rowsAsArray: true });
  assert.deepEqual(fields.map((f) => f.name), ['n', 's']);
  assert.equal(rows.length, 1, `wanted one row, got ${JSON.stringify(rows)}`);
  assertInteger('n', rows[0][0], 100);
  assertInteger('s', rows[0][1], 5050);
});

// d. parameters (server-side prepared statements)
step('d1 prepared range query returns ids 3 to 5', async () => {
  const [rows] = await conn.execute({
    sql: `SELECT id, name FROM ${TABLE} WHERE id BETWEEN ? AND ? ORDER BY id`, rowsAsArray: true,
  }, [3, 5]);
  assert.deepEqual(rows.map((r) => r[0]), [3, 4, 5]);
  for (const [, name] of rows) {
    assert.ok(typeof name === 'string' && name.length === 5, `name ${JSON.stringify(name)} is not 5 characters`);
  }
});
step('d2 text parameter with a quote and a backslash comes back unchanged', async () => {
  const [rows] = await conn.execute({ sql: 'SELECT ? AS s', rowsAsArray: true }, [TRICKY_TEXT]);
  const value = Buffer.isBuffer(rows[0]?.[0]) ? rows[0][0].toString('utf8') : rows[0]?.[0];
  assert.equal(value, TRICKY_TEXT);
});

// e. errors
step('e1 missing table fails with 1146 (42S02)', async () => {
  await expectError('SELECT * FROM no_such_table', 1146, '42S02');
});
step('e2 same connection still answers SELECT 1', async () => {
  assertInteger('SELECT 1', await single('SELECT 1'), 1);
});
step('e3 syntax error fails with 1064 (42000)', async () => {
  await expectError('SELEC 1', 1064, '42000');
  assertInteger('SELECT 1 after the syntax error', await single('SELECT 1'), 1);
});

// f. an INSERT job
step('f1 creates a blackhole sink', async () => {
  await ok(`CREATE TEMPORARY TABLE ${SINK} (id BIGINT) WITH ('connector'='blackhole')`);
});
step('f2 INSERT returns an OK carrying the Flink job id', async () => {
  const header = await ok(`INSERT INTO ${SINK} SELECT id FROM ${TABLE}`);
  const match = JOB_ID.exec(header.info ?? '');
  assert.ok(match, `OK packet info ${JSON.stringify(header.info)} has no 32-hex Flink job id`);
  jobId = match[0].toLowerCase();
});
step('f3 SHOW JOBS lists the job', async () => {
  const [rows, fields] = await conn.query({ sql: 'SHOW JOBS', rowsAsArray: true });
  assert.deepEqual(fields.map((f) => f.name), ['job id', 'job name', 'status', 'start time']);
  const ids = rows.map((r) => String(r[0]).toLowerCase());
  assert.ok(ids.includes(jobId), `job ${jobId} not among SHOW JOBS ids ${JSON.stringify(ids)}`);
});

// g. logins. mysql2 has no option to pick caching_sha2_password: it follows the server's
// choice (and fetches the RSA key itself when needed).
authStep('g1 logs in with caching_sha2_password', () => ({ user: 'weir_sha2', password: 'sha2pass' }));
authStep('g2 logs in over TLS', () => ({
  user: USER,
  password: PASSWORD,
  // A set `ssl` makes mysql2 refuse a server without TLS. With a CA: chain only, no host name.
  ssl: TLS_CA
    ? { ca: readFileSync(TLS_CA), checkServerIdentity: () => undefined }
    : { rejectUnauthorized: false },
}));
