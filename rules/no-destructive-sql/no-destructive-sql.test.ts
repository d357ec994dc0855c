import { RuleTester } from '../../test/support/rule-tester.js';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/eslint/plugin.js';
import { createTsInput } from '../../src/core/ts-input.js';
import type { FileRole, SqlInput } from '../../src/core/types.js';
import { noDestructiveSql } from './no-destructive-sql.js';

const ruleTester = new RuleTester();

ruleTester.run('no-destructive-sql', plugin.rules['no-destructive-sql'], {
  valid: [
    // filtered or additive statements
    "await db.query('DELETE FROM users WHERE id = $1', [id]);",
    "await db.exec('CREATE TABLE IF NOT EXISTS users (id integer primary key)');",
    "await db.query('ALTER TABLE users DROP CONSTRAINT users_email_key');",
    'await sql`DELETE FROM sessions WHERE expires_at < now()`;',
    // a substitution after the table may be the WHERE clause
    'await db.query(`DELETE FROM users ${where}`);',
    // a view holds no rows and is re-created right after
    "await db.exec('DROP VIEW IF EXISTS active_users; CREATE VIEW active_users AS SELECT * FROM users WHERE active');",
    // the words in a log line, an error, a response, a docs string, a string inside SQL
    "logger.warn('DROP TABLE users failed');",
    "throw new Error('TRUNCATE sessions is not allowed here');",
    "res.status(500).send('Delete from cart failed');",
    "const help = 'Run DROP TABLE users to reset your local database';",
    "await db.query(\"SELECT 'DROP TABLE users' AS hint\");",
    // prose passed to an execution-named method
    "await job.run('drop table failed');",
    "doc.text('Delete from cart');",
    // commented-out code
    "// await db.exec('DROP TABLE users');\nstart();",
    "/* await pool.query('TRUNCATE sessions'); */ start();",
    // tests and environment guards
    { code: "await db.exec('DROP TABLE users');", filename: 'test/db.test.ts' },
    { code: "afterEach(async () => { await pool.query('TRUNCATE users CASCADE'); });", filename: 'src/users.ts' },
    "if (process.env.NODE_ENV === 'test') { await pool.query('TRUNCATE users'); }",
    "if (process.env.NODE_ENV !== 'test') { throw new Error('tests only'); }\nawait pool.query('TRUNCATE users');",
    "if (!isProduction) { await knex.raw('DROP TABLE IF EXISTS tmp_import'); }",
    // a migration's down() undoes what up() created
    {
      code: 'export class AddUsers1700000000000 { async down(queryRunner) { await queryRunner.query(\'DROP TABLE "users"\'); } }',
      filename: 'src/migrations/1700000000000-add-users.ts',
    },
    { code: "exports.down = (knex) => knex.raw('DROP TABLE users');", filename: 'db/migrations/20240101_users.js' },
  ],
  invalid: [
    {
      code: "await db.exec('DROP TABLE IF EXISTS users');",
      errors: [{ messageId: 'destructiveSql', data: { statement: 'DROP TABLE users', api: 'db.exec', effect: 'drops the table and every row in it' }, line: 1, column: 15, endLine: 1, endColumn: 43 }],
    },
    {
      code: 'await pool.query(`TRUNCATE sessions`);',
      errors: [{ messageId: 'destructiveSql', line: 1, column: 18, endColumn: 37 }],
    },
    {
      code: 'await prisma.$executeRawUnsafe(\'DELETE FROM "Session"\');',
      errors: [{ messageId: 'destructiveSql', data: { statement: 'DELETE FROM Session without WHERE', api: 'prisma.$executeRawUnsafe', effect: 'deletes every row of the table' }, line: 1, column: 32, endColumn: 55 }],
    },
    {
      // a tagged template is reported whole
      code: 'await prisma.$executeRaw`TRUNCATE TABLE "Session" CASCADE`;',
      errors: [{ messageId: 'destructiveSql', line: 1, column: 7, endColumn: 59 }],
    },
    {
      // the SQL is a const: reported where it is executed
      code: "const RESET = 'DROP TABLE users; DROP TABLE posts';\nawait db.exec(RESET);",
      errors: [{ messageId: 'destructiveSql', data: { statement: 'DROP TABLE users; DROP TABLE posts', api: 'db.exec', effect: 'drops the table and every row in it' }, line: 2, column: 15, endColumn: 20 }],
    },
    {
      code: "await db.exec('DROP DATABASE app; TRUNCATE audit');",
      errors: [{ messageId: 'destructiveSql', data: { statement: 'DROP DATABASE app; TRUNCATE audit', api: 'db.exec', effect: 'drops tables or deletes their rows' }, line: 1, column: 15 }],
    },
    {
      code: "await knex.raw('ALTER TABLE users DROP COLUMN email');",
      errors: [{ messageId: 'destructiveSql', line: 1, column: 16 }],
    },
    {
      // a production-only branch is still application code
      code: "if (process.env.NODE_ENV === 'production') {\n  await db.exec('DELETE FROM sessions');\n}",
      errors: [{ messageId: 'destructiveSql', line: 2, column: 17, endLine: 2, endColumn: 39 }],
    },
    {
      code: "export class DropLegacy1700000000000 {\n  async up(queryRunner) {\n    await queryRunner.query('ALTER TABLE \"user\" DROP COLUMN \"legacy\"');\n  }\n}",
      filename: 'src/migrations/1700000000000-drop-legacy.ts',
      errors: [{ messageId: 'intendedChange', data: { statement: 'ALTER TABLE user DROP COLUMN', where: "in a migration's up()", effect: 'drops the column and its value in every row' }, line: 3, column: 29, endColumn: 70 }],
    },
    {
      code: "exports.seed = async (knex) => {\n  await knex.raw('TRUNCATE users RESTART IDENTITY CASCADE');\n};",
      filename: 'seeds/01_users.js',
      errors: [{ messageId: 'intendedChange', data: { statement: 'TRUNCATE users', where: 'in a seed', effect: 'deletes every row of the table' }, line: 2, column: 18 }],
    },
  ],
});

describe('no-destructive-sql typescript detector', () => {
  const detect = (code: string, path: string, role: FileRole) => noDestructiveSql.detect.typescript!(createTsInput(path, code, role), []);

  it('reports an error in application code and a warning in a migration up()', () => {
    expect(detect("await db.exec('TRUNCATE users');", 'src/db.ts', 'application').map((f) => f.severity)).toEqual(['error']);
    expect(detect("exports.up = (knex) => knex.raw('TRUNCATE users');", 'migrations/1.js', 'migration').map((f) => f.severity)).toEqual(['warning']);
  });
});

describe('no-destructive-sql sql detector', () => {
  const detect = (input: Partial<SqlInput> & { text: string }) =>
    noDestructiveSql.detect.sql!({ path: 'schema.sql', role: 'application', ...input }, []).map((f) => ({
      messageId: f.messageId,
      severity: f.severity,
      text: input.text.slice(f.range[0], f.range[1]),
      data: f.data,
    }));

  const SCHEMA = '-- reset\nDROP TABLE IF EXISTS users;\nCREATE TABLE users (id integer primary key);\nDELETE FROM sessions WHERE expires_at < now();\n';

  it('reports a startup script as an error naming the code that runs it', () => {
    expect(detect({ text: SCHEMA, executedBy: 'src/db.ts' })).toEqual([
      {
        messageId: 'startupScript',
        severity: 'error',
        text: 'DROP TABLE IF EXISTS users',
        data: { statement: 'DROP TABLE users', effect: 'drops the table and every row in it', executedBy: 'src/db.ts' },
      },
    ]);
  });

  it('warns on a .sql file nobody in the repository executes', () => {
    expect(detect({ text: SCHEMA })).toEqual([
      { messageId: 'destructiveSqlFile', severity: 'warning', text: 'DROP TABLE IF EXISTS users', data: { statement: 'DROP TABLE users', effect: 'drops the table and every row in it' } },
    ]);
  });

  it('warns on a migration up and a seed as intended changes', () => {
    const text = 'ALTER TABLE users DROP COLUMN legacy;\nTRUNCATE audit_log;';
    expect(detect({ path: 'migrations/002_drop_legacy.up.sql', role: 'migration', migrationPhase: 'up', text }).map((f) => [f.messageId, f.severity, f.text, f.data?.where])).toEqual([
      ['intendedChange', 'warning', 'ALTER TABLE users DROP COLUMN legacy', 'in a migration'],
      ['intendedChange', 'warning', 'TRUNCATE audit_log', 'in a migration'],
    ]);
    expect(detect({ path: 'seeds/users.sql', role: 'seed', text: 'DELETE FROM users;' }).map((f) => [f.messageId, f.data?.where])).toEqual([['intendedChange', 'in a seed']]);
  });

  it('is silent on a down migration, its down section, tests and Docker init scripts', () => {
    expect(detect({ path: 'migrations/001_init.down.sql', role: 'migration', migrationPhase: 'down', text: 'DROP TABLE users;' })).toEqual([]);
    expect(detect({ path: 'test/fixtures/reset.sql', role: 'test', text: 'DROP TABLE users;' })).toEqual([]);
    expect(detect({ path: 'docker-entrypoint-initdb.d/01-schema.sql', text: 'DROP TABLE IF EXISTS users;' })).toEqual([]);
    const dbmate = '-- migrate:up\nCREATE TABLE users (id int);\n\n-- migrate:down\nDROP TABLE users;\n';
    expect(detect({ path: 'db/migrations/20240101_users.sql', role: 'migration', text: dbmate })).toEqual([]);
  });

  it('reports only the up section of a two-way migration file', () => {
    const goose = '-- +goose Up\nDROP TABLE legacy;\n-- +goose Down\nDROP TABLE users;\n';
    expect(detect({ path: 'migrations/00002_x.sql', role: 'migration', text: goose }).map((f) => f.text)).toEqual(['DROP TABLE legacy']);
  });

  it('reports a startup script even when it is a down migration', () => {
    expect(detect({ path: 'migrations/001.down.sql', role: 'migration', migrationPhase: 'down', executedBy: 'src/server.ts', text: 'DROP TABLE users;' }).map((f) => f.messageId)).toEqual(['startupScript']);
  });

  it('ignores comments, strings, filtered deletes and views', () => {
    const text = "-- DROP TABLE users;\n/* TRUNCATE x; */\nINSERT INTO notes (body) VALUES ('DROP TABLE users;');\nDELETE FROM t WHERE id = 1;\nDROP VIEW v;\nDROP INDEX i;";
    expect(detect({ text, executedBy: 'src/db.ts' })).toEqual([]);
  });

  it('reports each destructive statement at its own range', () => {
    const text = 'DROP SCHEMA app CASCADE;\n  TRUNCATE TABLE events;';
    const findings = noDestructiveSql.detect.sql!({ path: 'reset.sql', role: 'application', text }, []);
    expect(findings.map((f) => f.range)).toEqual([[0, 23], [27, 48]]);
  });
});
