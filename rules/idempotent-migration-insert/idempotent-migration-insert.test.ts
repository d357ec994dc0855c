import { RuleTester } from '../../test/support/rule-tester.js';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/eslint/plugin.js';
import { createTsInput } from '../../src/core/ts-input.js';
import type { FileRole, SqlInput } from '../../src/core/types.js';
import { idempotentMigrationInsert, isBookkeepingTable, STARTUP_FUNCTION_NAME } from './idempotent-migration-insert.js';

const ruleTester = new RuleTester();

ruleTester.run('idempotent-migration-insert', plugin.rules['idempotent-migration-insert'], {
  valid: [
    // guarded inserts
    "export async function initDb(db) { await db.query(\"INSERT INTO settings (key) VALUES ('theme') ON CONFLICT DO NOTHING\"); }",
    "export function migrate(db) { db.prepare(\"INSERT OR IGNORE INTO schema_migrations (version) VALUES ('001')\").run(); }",
    "export async function initDb(db) { await db.query(\"INSERT INTO users (email) SELECT 'a' WHERE NOT EXISTS (SELECT 1 FROM users WHERE email = 'a')\"); }",
    'class AppService { async onModuleInit() { await this.dataSource.query(`INSERT INTO roles (name) VALUES (\'admin\') ON CONFLICT (name) DO UPDATE SET name = excluded.name`); } }',
    { code: "exports.seed = async (knex) => { await knex('users').insert([{ email: 'a' }]).onConflict('email').ignore(); };", filename: 'seeds/01_users.js' },
    { code: "module.exports = { up: (qi) => qi.bulkInsert('Roles', [{ id: 1, name: 'admin' }], { ignoreDuplicates: true }) };", filename: 'seeders/20240101-roles.js' },
    { code: "module.exports = { up: (queryInterface) => queryInterface.bulkInsert('Roles', rows, { updateOnDuplicate: ['name'] }) };", filename: 'seeders/20240101-roles.js' },
    { code: "await prisma.tag.createMany({ data: tags, skipDuplicates: true });", filename: 'prisma/seed.ts' },
    { code: "await prisma.user.upsert({ where: { email: 'a' }, update: {}, create: { email: 'a' } });", filename: 'prisma/seed.ts' },
    // a seed that empties the table first yields the same rows every run
    { code: "exports.seed = async (knex) => { await knex('users').del(); await knex('users').insert([{ email: 'a' }]); };", filename: 'seeds/01_users.js' },
    { code: "await prisma.user.deleteMany();\nawait prisma.user.createMany({ data: users });", filename: 'prisma/seed.ts' },
    "export async function initDb(db) { await db.exec(\"DELETE FROM settings; INSERT INTO settings (key) VALUES ('a');\"); }",
    // ordinary application inserts run once per request, not once per start
    "export async function createUser(db, email) { await db.query('INSERT INTO users (email) VALUES ($1)', [email]); }",
    "export async function initSession(db, user) { await db.query('INSERT INTO sessions (user_id) VALUES ($1)', [user]); }",
    { code: "await prisma.user.create({ data: { email } });", filename: 'src/users/users.service.ts' },
    // tests, migration down, development guards
    { code: "export function seed(db) { db.exec(\"INSERT INTO users (email) VALUES ('a')\"); }", filename: 'test/helpers.ts' },
    {
      code: 'export class AddRoles1700000000000 { async down(queryRunner) { await queryRunner.query("INSERT INTO role (name) VALUES (\'legacy\')"); } }',
      filename: 'src/migrations/1700000000000-add-roles.ts',
    },
    "export async function seedAdmin(db) { if (process.env.NODE_ENV === 'development') { await db.query(\"INSERT INTO users (email) VALUES ('a')\"); } }",
    // the words in a log line, commented-out code
    "export async function initDb(log) { log.info('INSERT INTO settings failed, retrying'); }",
    "export async function initDb(db) {\n  // await db.query(\"INSERT INTO settings (key) VALUES ('a')\");\n}",
    // other libraries' insert(): Drizzle, TypeORM
    "export async function initialize(db) { await db.insert(users).values({ email: 'a' }).onConflictDoNothing(); await repo.insert({ email: 'a' }); }",
    // an unknown options object may carry ignoreDuplicates
    { code: "module.exports = { up: (queryInterface) => queryInterface.bulkInsert('Roles', rows, options) };", filename: 'seeders/20240101-roles.js' },
  ],
  invalid: [
    {
      code: "export async function initDb(db) {\n  await db.query(\"INSERT INTO settings (key, value) VALUES ('theme', 'dark')\");\n}",
      errors: [
        {
          messageId: 'insertWithoutConflictClause',
          data: { statement: 'INSERT INTO settings', where: 'in startup code `initDb()`', rerun: 'the application starts again' },
          line: 2,
          column: 18,
          endLine: 2,
          endColumn: 78,
          suggestions: [
            {
              messageId: 'addOnConflictDoNothing',
              output: "export async function initDb(db) {\n  await db.query(\"INSERT INTO settings (key, value) VALUES ('theme', 'dark') ON CONFLICT DO NOTHING\");\n}",
            },
          ],
        },
      ],
    },
    {
      // the clause goes before RETURNING, in the statement's own case
      code: "export async function initDb(db) { await db.query(\"insert into settings (key) values ('theme') returning id\"); }",
      errors: [
        {
          messageId: 'insertWithoutConflictClause',
          line: 1,
          column: 51,
          suggestions: [{ messageId: 'addOnConflictDoNothing', output: "export async function initDb(db) { await db.query(\"insert into settings (key) values ('theme') on conflict do nothing returning id\"); }" }],
        },
      ],
    },
    {
      // incident 3: six VMs record the same migration
      code: "import Database from 'better-sqlite3';\nconst db = new Database('app.db');\nexport function applyMigration() {\n  db.prepare(\"INSERT INTO schema_migrations (version) VALUES ('001')\").run();\n}",
      errors: [
        {
          messageId: 'unguardedMigrationRecord',
          data: { statement: 'INSERT INTO schema_migrations' },
          line: 4,
          column: 14,
          endColumn: 70,
          suggestions: [
            {
              messageId: 'useInsertOrIgnore',
              output: "import Database from 'better-sqlite3';\nconst db = new Database('app.db');\nexport function applyMigration() {\n  db.prepare(\"INSERT OR IGNORE INTO schema_migrations (version) VALUES ('001')\").run();\n}",
            },
          ],
        },
      ],
    },
    {
      // a bookkeeping insert is reported in any function, with a parameter
      code: "export async function recordMigration(client, version) {\n  await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);\n}",
      errors: [
        {
          messageId: 'unguardedMigrationRecord',
          line: 2,
          column: 22,
          suggestions: [{ messageId: 'addOnConflictDoNothing', output: "export async function recordMigration(client, version) {\n  await client.query('INSERT INTO schema_migrations (version) VALUES ($1) ON CONFLICT DO NOTHING', [version]);\n}" }],
        },
      ],
    },
    {
      // every INSERT of a script is guarded by one suggestion
      code: 'export async function initDb(db) { await db.exec("INSERT INTO a (x) VALUES (1); INSERT INTO b (y) VALUES (2);"); }',
      errors: [
        {
          messageId: 'insertWithoutConflictClause',
          line: 1,
          column: 50,
          suggestions: [{ messageId: 'addOnConflictDoNothing', output: 'export async function initDb(db) { await db.exec("INSERT INTO a (x) VALUES (1) ON CONFLICT DO NOTHING; INSERT INTO b (y) VALUES (2) ON CONFLICT DO NOTHING;"); }' }],
        },
      ],
    },
    {
      // no textually safe clause: MySQL, INSERT … SELECT, escapes, substitutions
      code: "import mysql from 'mysql2/promise';\nexport async function initDb(db) { await db.query(\"INSERT INTO a (x) VALUES (1)\"); }",
      errors: [{ messageId: 'insertWithoutConflictClause', line: 2, column: 51, suggestions: [] }],
    },
    {
      code: 'export async function initDb(db) { await db.query("INSERT INTO a (x) SELECT 1"); }',
      errors: [{ messageId: 'insertWithoutConflictClause', line: 1, column: 51, suggestions: [] }],
    },
    {
      code: 'export async function bootstrap(db) { await db.query("INSERT INTO a (x) VALUES (\'\\\\n\')"); }',
      errors: [{ messageId: 'insertWithoutConflictClause', data: { statement: 'INSERT INTO a', where: 'in startup code `bootstrap()`', rerun: 'the application starts again' }, line: 1, column: 54, suggestions: [] }],
    },
    {
      code: 'export async function seedUsers(db, email) { await db.query(`INSERT INTO users (email) VALUES (${email})`); }',
      errors: [{ messageId: 'insertWithoutConflictClause', line: 1, column: 61, suggestions: [] }],
    },
    {
      code: "export class AddRoles1700000000000 {\n  async up(queryRunner) {\n    await queryRunner.query(`INSERT INTO \"role\" (\"name\") VALUES ('admin')`);\n  }\n}",
      filename: 'src/migrations/1700000000000-add-roles.ts',
      errors: [
        {
          messageId: 'insertWithoutConflictClause',
          data: { statement: 'INSERT INTO role', where: "in a migration's up()", rerun: 'the migration is applied a second time' },
          line: 3,
          column: 29,
          endColumn: 75,
          suggestions: [
            {
              messageId: 'addOnConflictDoNothing',
              output: "export class AddRoles1700000000000 {\n  async up(queryRunner) {\n    await queryRunner.query(`INSERT INTO \"role\" (\"name\") VALUES ('admin') ON CONFLICT DO NOTHING`);\n  }\n}",
            },
          ],
        },
      ],
    },
    {
      code: "exports.seed = async function (knex) {\n  await knex('users').insert([{ email: 'admin@example.com' }]);\n};",
      filename: 'seeds/01_users.js',
      errors: [{ messageId: 'insertWithoutOnConflict', data: { call: "knex('users').insert()", where: 'in a seed', rerun: 'the seed runs again' }, line: 2, column: 9, endLine: 2, endColumn: 29 }],
    },
    {
      code: "export async function initialize(knex) {\n  await knex.insert({ version: '001' }).into('knex_migrations');\n  await trx.table('roles').insert({ name: 'x' });\n}",
      errors: [
        { messageId: 'unguardedMigrationRecord', line: 2, column: 9, endColumn: 20 },
        { messageId: 'insertWithoutOnConflict', line: 3, column: 9, endColumn: 34 },
      ],
    },
    {
      code: "module.exports = {\n  async up(queryInterface) {\n    await queryInterface.bulkInsert('Roles', [{ name: 'admin' }]);\n  },\n  async down(queryInterface) {\n    await queryInterface.bulkDelete('Roles', null, {});\n  },\n};",
      filename: 'seeders/20240101-roles.js',
      errors: [
        {
          messageId: 'bulkInsertWithoutIgnoreDuplicates',
          line: 3,
          column: 11,
          endColumn: 36,
          suggestions: [
            {
              messageId: 'setIgnoreDuplicates',
              output: "module.exports = {\n  async up(queryInterface) {\n    await queryInterface.bulkInsert('Roles', [{ name: 'admin' }], { ignoreDuplicates: true });\n  },\n  async down(queryInterface) {\n    await queryInterface.bulkDelete('Roles', null, {});\n  },\n};",
            },
          ],
        },
      ],
    },
    {
      code: "module.exports = { up: (qi) => qi.bulkInsert('Roles', rows, { ignoreDuplicates: false }) };",
      filename: 'seeders/20240101-roles.js',
      errors: [{ messageId: 'bulkInsertWithoutIgnoreDuplicates', line: 1, column: 32, suggestions: [{ messageId: 'setIgnoreDuplicates', output: "module.exports = { up: (qi) => qi.bulkInsert('Roles', rows, { ignoreDuplicates: true }) };" }] }],
    },
    {
      code: "module.exports = { up: (qi) => qi.bulkInsert('Roles', rows, { transaction }) };",
      filename: 'seeders/20240101-roles.js',
      errors: [{ messageId: 'bulkInsertWithoutIgnoreDuplicates', line: 1, column: 32, suggestions: [{ messageId: 'setIgnoreDuplicates', output: "module.exports = { up: (qi) => qi.bulkInsert('Roles', rows, { transaction, ignoreDuplicates: true }) };" }] }],
    },
    {
      code: "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nawait prisma.user.create({ data: { id: 1, email: 'admin@example.com' } });",
      filename: 'prisma/seed.ts',
      errors: [
        {
          messageId: 'createWithoutUpsert',
          data: { call: 'prisma.user.create()', where: 'in a seed', rerun: 'the seed runs again' },
          line: 3,
          column: 7,
          endColumn: 25,
          suggestions: [
            {
              messageId: 'useUpsert',
              output: "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nawait prisma.user.upsert({ where: { id: 1 }, update: {}, create: { id: 1, email: 'admin@example.com' } });",
            },
          ],
        },
      ],
    },
    {
      // no unique key known: no upsert suggestion
      code: "await db.post.create({ data: { title: 'Hello' } });\nimport { PrismaClient } from '@prisma/client';",
      filename: 'prisma/seed.ts',
      errors: [{ messageId: 'createWithoutUpsert', line: 1, column: 7, suggestions: [] }],
    },
    {
      code: 'await prisma.role.createMany({ data: roles });',
      filename: 'prisma/seed.ts',
      errors: [{ messageId: 'createManyWithoutSkipDuplicates', line: 1, column: 7, endColumn: 29, suggestions: [{ messageId: 'setSkipDuplicates', output: 'await prisma.role.createMany({ data: roles, skipDuplicates: true });' }] }],
    },
    {
      // Prisma in a startup function of application code
      code: 'export async function seedAdmin() {\n  await prisma.user.createMany({ data: admins, skipDuplicates: false });\n}',
      errors: [{ messageId: 'createManyWithoutSkipDuplicates', line: 2, column: 9, suggestions: [{ messageId: 'setSkipDuplicates', output: 'export async function seedAdmin() {\n  await prisma.user.createMany({ data: admins, skipDuplicates: true });\n}' }] }],
    },
  ],
});

describe('idempotent-migration-insert typescript detector', () => {
  const detect = (code: string, path: string, role: FileRole) => idempotentMigrationInsert.detect.typescript!(createTsInput(path, code, role), []);

  it('warns in a migration up() and in seeds, and errs in startup code and on bookkeeping tables', () => {
    expect(detect("exports.up = (knex) => knex('roles').insert({ name: 'admin' });", 'migrations/1.js', 'migration').map((f) => f.severity)).toEqual(['warning']);
    expect(detect("exports.up = (knex) => knex('knex_migrations').insert({ name: '1' });", 'migrations/1.js', 'migration').map((f) => f.severity)).toEqual(['error']);
    expect(detect("exports.seed = (knex) => knex('roles').insert({ name: 'admin' });", 'seeds/1.js', 'seed').map((f) => f.severity)).toEqual(['warning']);
    expect(detect("exports.seed = (knex) => knex('knex_migrations').insert({ name: '1' });", 'seeds/1.js', 'seed').map((f) => f.severity)).toEqual(['error']);
  });

  it('names startup functions by one pattern, without taking per-request init functions', () => {
    for (const name of ['init', 'initDb', 'init_db', 'initialize', 'initializeDatabase', 'seed', 'seedUsers', 'bootstrap', 'onModuleInit', 'onApplicationBootstrap', 'migrate', 'migrateLatest', 'runMigrations', 'setupDatabase', 'ensureSchema']) {
      expect(STARTUP_FUNCTION_NAME.test(name), name).toBe(true);
    }
    for (const name of ['initSession', 'initiateTransfer', 'initials', 'createUser', 'setup', 'handler']) {
      expect(STARTUP_FUNCTION_NAME.test(name), name).toBe(false);
    }
  });

  it('knows the migration bookkeeping tables of common tools', () => {
    for (const table of ['schema_migrations', 'migrations', '_migrations', 'knex_migrations', 'SequelizeMeta', 'alembic_version', 'public.flyway_schema_history', '__EFMigrationsHistory']) {
      expect(isBookkeepingTable(table), table).toBe(true);
    }
    for (const table of ['users', 'migration_notes', undefined]) expect(isBookkeepingTable(table), String(table)).toBe(false);
  });
});

describe('idempotent-migration-insert sql detector', () => {
  const detect = (input: Partial<SqlInput> & { text: string }) =>
    idempotentMigrationInsert.detect.sql!({ path: 'migrations/001_init.up.sql', role: 'migration', ...input }, []).map((f) => ({
      messageId: f.messageId,
      severity: f.severity,
      text: input.text.slice(f.range[0], f.range[1]),
      where: f.data?.where,
      fixed: f.suggestions?.map((s) => input.text.slice(0, s.fix.range[0]) + s.fix.text + input.text.slice(s.fix.range[1])),
    }));

  it('errs on an unguarded schema_migrations record, with a SQLite fix in a SQLite file', () => {
    const text = "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY AUTOINCREMENT);\nINSERT INTO schema_migrations (version) VALUES ('001');\n";
    expect(detect({ text })).toEqual([
      {
        messageId: 'unguardedMigrationRecord',
        severity: 'error',
        text: "INSERT INTO schema_migrations (version) VALUES ('001')",
        where: undefined,
        fixed: ["CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY AUTOINCREMENT);\nINSERT OR IGNORE INTO schema_migrations (version) VALUES ('001');\n"],
      },
    ]);
  });

  it('warns on reference data in a migration and offers ON CONFLICT DO NOTHING', () => {
    expect(detect({ text: "INSERT INTO roles (name) VALUES ('admin');" })).toEqual([
      { messageId: 'insertWithoutConflictClause', severity: 'warning', text: "INSERT INTO roles (name) VALUES ('admin')", where: 'in a migration', fixed: ["INSERT INTO roles (name) VALUES ('admin') ON CONFLICT DO NOTHING;"] },
    ]);
  });

  it('warns in a seed and errs in a file that application code runs at startup', () => {
    expect(detect({ path: 'db/seeds/admin.sql', role: 'seed', text: "INSERT INTO users (email) VALUES ('admin@example.com');" }).map((f) => [f.severity, f.where])).toEqual([['warning', 'in a seed']]);
    expect(detect({ path: 'schema.sql', role: 'application', executedBy: 'src/db.ts', text: "INSERT INTO settings (k) VALUES ('a');" }).map((f) => [f.severity, f.where])).toEqual([['error', 'in a SQL file that `src/db.ts` runs at startup']]);
  });

  it('offers no fix for MySQL files', () => {
    expect(detect({ text: 'CREATE TABLE IF NOT EXISTS `roles` (id INT AUTO_INCREMENT);\nINSERT INTO roles (name) VALUES (1);' }).map((f) => [f.messageId, f.fixed])).toEqual([['insertWithoutConflictClause', undefined]]);
  });

  it('is silent on guarded inserts, down sections, plain schema files, tests and cleared tables', () => {
    expect(detect({ text: "INSERT OR IGNORE INTO schema_migrations (version) VALUES ('001');\nINSERT INTO roles (name) VALUES ('a') ON CONFLICT DO NOTHING;" })).toEqual([]);
    expect(detect({ path: 'migrations/001_init.down.sql', migrationPhase: 'down', text: "INSERT INTO roles (name) VALUES ('a');" })).toEqual([]);
    expect(detect({ path: 'db/structure.sql', role: 'application', text: "INSERT INTO schema_migrations (version) VALUES ('20240101');" })).toEqual([]);
    expect(detect({ path: 'test/seed.sql', role: 'test', text: "INSERT INTO users (email) VALUES ('a');" })).toEqual([]);
    expect(detect({ path: 'seeds/roles.sql', role: 'seed', text: "DELETE FROM roles;\nINSERT INTO roles (name) VALUES ('a');" })).toEqual([]);
    // a table this script creates (without IF NOT EXISTS) makes a second run fail before the insert
    expect(detect({ text: 'CREATE TABLE roles_tmp (name text);\nINSERT INTO roles_tmp SELECT name FROM roles;' })).toEqual([]);
    const dbmate = "-- migrate:up\nCREATE TABLE roles (name text unique);\n-- migrate:down\nINSERT INTO roles (name) VALUES ('restored');\n";
    expect(detect({ path: 'db/migrations/20240101_roles.sql', text: dbmate })).toEqual([]);
  });
});
