import { describe, expect, it } from 'vitest';
import { classifySql, describeStatement, DESTRUCTIVE_KINDS, looksLikeSql } from '../../src/core/sql/classify.js';
import { splitStatements, SQL_HOLE, tokenizeSql } from '../../src/core/sql/lexer.js';
import { getMigrationPhaseAt, getMigrationSections } from '../../src/core/sql/migration-sections.js';

const kinds = (sql: string) => classifySql(sql).map((s) => s.kind);
const words = (sql: string) => tokenizeSql(sql).filter((t) => t.kind === 'word').map((t) => t.value);
const first = (sql: string) => classifySql(sql)[0]!;

describe('tokenizeSql', () => {
  it('skips line comments, MySQL # comments and nested block comments', () => {
    expect(words('-- DROP TABLE users\nSELECT 1')).toEqual(['SELECT']);
    expect(words('# DROP TABLE users\nSELECT 1')).toEqual(['SELECT']);
    expect(words('/* outer /* DROP TABLE inner */ still comment DELETE */ SELECT 1')).toEqual(['SELECT']);
  });

  it('keeps PostgreSQL JSON operators #> and #- as code, not comments', () => {
    expect(words("SELECT data #>> '{a}' FROM t; DROP TABLE x")).toEqual(['SELECT', 'DATA', 'FROM', 'T', 'DROP', 'TABLE', 'X']);
    expect(words("SELECT data #- '{a}' FROM t")).toContain('FROM');
    expect(words('#---- section\nSELECT 1')).toEqual(['SELECT']);
  });

  it('reads quoted strings with keywords and semicolons as one token', () => {
    const tokens = tokenizeSql("SELECT 'it''s; DROP TABLE users' AS x");
    expect(tokens.map((t) => t.kind)).toEqual(['word', 'string', 'word', 'word']);
    expect(tokens[1]!.value).toBe("'it''s; DROP TABLE users'");
  });

  it('honours backslash escapes only in E-strings', () => {
    expect(words("SELECT E'a\\'; DROP TABLE x' AS y")).toEqual(['SELECT', 'AS', 'Y']);
    expect(tokenizeSql("SELECT N'naïve'").map((t) => t.kind)).toEqual(['word', 'string']);
  });

  it('reads quoted identifiers in all three styles and unquotes them', () => {
    const tokens = tokenizeSql('SELECT "drop table", `delete`, [truncate] FROM "a""b"');
    const idents = tokens.filter((t) => t.kind === 'quotedIdent').map((t) => t.value);
    expect(idents).toEqual(['drop table', 'delete', 'truncate', 'a""b']);
  });

  it('reads dollar-quoted bodies, with empty, named and digit-bearing tags', () => {
    expect(words('CREATE FUNCTION f() RETURNS void AS $$ BEGIN DELETE FROM t; END $$ LANGUAGE plpgsql')).toEqual([
      'CREATE', 'FUNCTION', 'F', 'RETURNS', 'VOID', 'AS', 'LANGUAGE', 'PLPGSQL',
    ]);
    expect(words('DO $body$ DROP TABLE a; $body$')).toEqual(['DO']);
    expect(words('DO $fn_1$ DROP TABLE a; $fn_1$')).toEqual(['DO']);
    // `$1` is a parameter, not a tag.
    expect(tokenizeSql('SELECT $1').map((t) => t.kind)).toEqual(['word', 'param']);
  });

  it('reads parameters and casts', () => {
    expect(tokenizeSql('WHERE a = ? AND b = :name AND c = $2 AND d::text = e').filter((t) => t.kind === 'param').map((t) => t.value)).toEqual(['?', ':name', '$2']);
  });

  it('never reports an offset past the end of an unterminated string or identifier', () => {
    for (const text of ["SELECT 'abc", 'DROP TABLE "users', "SELECT E'a\\", 'SELECT [x', 'DO $$ body']) {
      const last = tokenizeSql(text).at(-1)!;
      expect(last.end, text).toBe(text.length);
    }
  });

  it('makes a hole token of a substitution placeholder', () => {
    expect(tokenizeSql(`DELETE FROM ${SQL_HOLE}`).map((t) => t.kind)).toEqual(['word', 'word', 'hole']);
  });
});

describe('splitStatements', () => {
  it('splits at top-level semicolons only', () => {
    const text = "INSERT INTO t VALUES ('a;b'); DELETE FROM t WHERE x = ';' ; SELECT 1";
    const statements = splitStatements(tokenizeSql(text));
    expect(statements.map((s) => text.slice(s.start, s.end))).toEqual(["INSERT INTO t VALUES ('a;b')", "DELETE FROM t WHERE x = ';'", 'SELECT 1']);
  });

  it('keeps a trigger body with semicolons in one statement', () => {
    const text = 'CREATE TRIGGER tr AFTER INSERT ON a BEGIN DELETE FROM b; UPDATE c SET x = CASE WHEN 1 THEN 2 END; END; DROP TABLE d';
    expect(kinds(text)).toEqual(['other', 'drop']);
  });

  it('does not end a routine at END IF or END LOOP', () => {
    const text = 'CREATE PROCEDURE p() BEGIN IF x THEN SELECT 1; END IF; DELETE FROM t; END; DELETE FROM u';
    const statements = classifySql(text);
    expect(statements.map((s) => s.kind)).toEqual(['other', 'deleteAll']);
    expect(statements[1]!.target).toBe('u');
  });

  it('does not count a transaction BEGIN as a block', () => {
    expect(kinds('BEGIN; DROP TABLE a; COMMIT;')).toEqual(['other', 'drop', 'other']);
  });
});

describe('classifySql', () => {
  it('classifies drops with object, target and IF EXISTS', () => {
    expect(first('DROP TABLE users')).toMatchObject({ kind: 'drop', object: 'TABLE', target: 'users', ifExists: false });
    expect(first('drop table if exists public."Users" cascade')).toMatchObject({ kind: 'drop', object: 'TABLE', target: 'public.Users', ifExists: true });
    expect(first('DROP DATABASE app')).toMatchObject({ kind: 'drop', object: 'DATABASE', target: 'app' });
    expect(first('DROP SCHEMA app CASCADE')).toMatchObject({ kind: 'drop', object: 'SCHEMA' });
    expect(first('DROP VIEW v')).toMatchObject({ kind: 'drop', object: 'VIEW' });
    expect(first('DROP MATERIALIZED VIEW IF EXISTS mv')).toMatchObject({ kind: 'drop', object: 'MATERIALIZED VIEW', target: 'mv', ifExists: true });
  });

  it('leaves drops of indexes, functions and temporary tables alone', () => {
    expect(kinds('DROP INDEX idx; DROP FUNCTION f; DROP TEMPORARY TABLE tmp; DROP TRIGGER tr')).toEqual(['other', 'other', 'other', 'other']);
  });

  it('classifies TRUNCATE', () => {
    expect(first('TRUNCATE TABLE ONLY sessions RESTART IDENTITY')).toMatchObject({ kind: 'truncate', target: 'sessions' });
    expect(first('truncate sessions')).toMatchObject({ kind: 'truncate', target: 'sessions' });
  });

  it('tells DELETE with and without WHERE apart', () => {
    expect(first('DELETE FROM users')).toMatchObject({ kind: 'deleteAll', target: 'users' });
    expect(first('delete from users;')).toMatchObject({ kind: 'deleteAll', target: 'users' });
    expect(first('DELETE FROM users RETURNING *')).toMatchObject({ kind: 'deleteAll' });
    expect(kinds('DELETE FROM users WHERE id = $1')).toEqual(['other']);
    expect(kinds('DELETE FROM users u WHERE u.id IN (SELECT id FROM banned)')).toEqual(['other']);
    expect(kinds('DELETE FROM sessions USING users WHERE sessions.user_id = users.id')).toEqual(['other']);
    expect(kinds('DELETE FROM logs LIMIT 100')).toEqual(['other']);
    expect(kinds('DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id')).toEqual(['other']);
  });

  it('does not take a WHERE inside a subquery for the DELETE filter', () => {
    expect(first('DELETE FROM users RETURNING (SELECT 1 WHERE true)')).toMatchObject({ kind: 'deleteAll' });
  });

  it('treats substitutions in a DELETE tail as a possible WHERE', () => {
    expect(kinds(`DELETE FROM users ${SQL_HOLE}`)).toEqual(['other']);
    expect(kinds(`DELETE FROM users_${SQL_HOLE}`)).toEqual(['other']);
    expect(kinds(`DELETE FROM ${SQL_HOLE}`)).toEqual(['other']);
    expect(kinds(`DELETE FROM ${SQL_HOLE} WHERE id = ${SQL_HOLE}`)).toEqual(['other']);
    // The table is unknown, but nothing can follow it: every row of it goes.
    expect(first(`DELETE FROM ${SQL_HOLE}.users`)).toMatchObject({ kind: 'deleteAll', target: undefined });
  });

  it('does not name a table that is partly substituted', () => {
    expect(first(`DROP TABLE users_${SQL_HOLE}`)).toMatchObject({ kind: 'drop', target: undefined });
    expect(first(`DROP TABLE "${SQL_HOLE}".users`)).toMatchObject({ kind: 'drop', target: undefined });
  });

  it('sees through CTEs, with and without column lists', () => {
    expect(first('WITH old AS (SELECT id FROM users) DELETE FROM sessions')).toMatchObject({ kind: 'deleteAll', target: 'sessions' });
    expect(first('WITH a AS (SELECT 1), b (x, y) AS (SELECT 1, 2) DELETE FROM sessions')).toMatchObject({ kind: 'deleteAll' });
    expect(first('WITH RECURSIVE r AS (SELECT 1) INSERT INTO t SELECT * FROM r')).toMatchObject({ kind: 'insert', target: 't', conflictGuard: false });
    expect(kinds('WITH x AS (DELETE FROM a RETURNING *) SELECT * FROM x')).toEqual(['other']);
  });

  it('tells ALTER TABLE DROP COLUMN from drops of constraints, defaults and indexes', () => {
    expect(first('ALTER TABLE users DROP COLUMN email')).toMatchObject({ kind: 'alterDropColumn', target: 'users' });
    expect(first('ALTER TABLE IF EXISTS ONLY users DROP email')).toMatchObject({ kind: 'alterDropColumn', target: 'users' });
    expect(first('ALTER TABLE users ADD COLUMN a int, DROP COLUMN IF EXISTS b')).toMatchObject({ kind: 'alterDropColumn' });
    expect(kinds('ALTER TABLE users DROP CONSTRAINT users_email_key')).toEqual(['other']);
    expect(kinds('ALTER TABLE users ALTER COLUMN email DROP NOT NULL')).toEqual(['other']);
    expect(kinds('ALTER TABLE users ALTER COLUMN email DROP DEFAULT')).toEqual(['other']);
    expect(kinds('ALTER TABLE users DROP INDEX idx, DROP FOREIGN KEY fk, DROP PRIMARY KEY')).toEqual(['other']);
    expect(kinds(`ALTER TABLE users DROP ${SQL_HOLE}`)).toEqual(['other']);
    expect(kinds('ALTER INDEX idx RENAME TO idx2')).toEqual(['other']);
  });

  it('classifies CREATE TABLE/INDEX with IF NOT EXISTS', () => {
    expect(first('CREATE TABLE IF NOT EXISTS users (id int)')).toMatchObject({ kind: 'createTable', target: 'users', ifExists: true });
    expect(first('CREATE TEMP TABLE t (id int)')).toMatchObject({ kind: 'createTable', ifExists: false });
    expect(first('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)')).toMatchObject({ kind: 'createIndex', target: 'i', ifExists: true });
    expect(kinds('CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql')).toEqual(['other']);
  });

  it('classifies CREATE VIEW and MATERIALIZED VIEW with their names', () => {
    expect(first('CREATE OR REPLACE VIEW v AS SELECT 1')).toMatchObject({ kind: 'createView', object: 'VIEW', target: 'v' });
    expect(first('CREATE MATERIALIZED VIEW IF NOT EXISTS a.mv TO a.hourly AS SELECT 1')).toMatchObject({ kind: 'createView', object: 'MATERIALIZED VIEW', target: 'a.mv', ifExists: true });
    expect(first('CREATE TEMP VIEW t AS SELECT 1')).toMatchObject({ kind: 'createView', target: 't' });
  });

  it('recognises every conflict guard on INSERT', () => {
    const guarded = [
      "INSERT INTO schema_migrations (version) VALUES ('001') ON CONFLICT DO NOTHING",
      "INSERT INTO users (email) VALUES ('a') ON CONFLICT (email) DO UPDATE SET name = excluded.name",
      "INSERT OR IGNORE INTO schema_migrations (version) VALUES ('001')",
      "INSERT OR REPLACE INTO settings (k, v) VALUES ('a', 'b')",
      "INSERT IGNORE INTO users (email) VALUES ('a')",
      "INSERT INTO users (email) VALUES ('a') ON DUPLICATE KEY UPDATE email = email",
      "INSERT INTO users (email) SELECT 'a' WHERE NOT EXISTS (SELECT 1 FROM users WHERE email = 'a')",
      "REPLACE INTO settings (k, v) VALUES ('a', 'b')",
      "MERGE INTO users u USING (SELECT 1 AS id) s ON u.id = s.id WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id)",
      `INSERT INTO users (email) VALUES ($1) ${SQL_HOLE}`,
    ];
    for (const sql of guarded) expect(first(sql), sql).toMatchObject({ kind: 'insert', conflictGuard: true });
  });

  it('reports INSERTs without a guard, with the dialect when the syntax tells', () => {
    expect(first("INSERT INTO schema_migrations (version) VALUES ('001')")).toMatchObject({ kind: 'insert', target: 'schema_migrations', conflictGuard: false });
    expect(first('INSERT OR ABORT INTO t (a) VALUES (1)')).toMatchObject({ conflictGuard: false, dialectHint: 'sqlite' });
    expect(first('INSERT OR IGNORE INTO t (a) VALUES (1)')).toMatchObject({ dialectHint: 'sqlite' });
    expect(first('INSERT IGNORE INTO t (a) VALUES (1)')).toMatchObject({ dialectHint: 'mysql' });
    expect(first(`INSERT INTO t (a) VALUES ${SQL_HOLE}`)).toMatchObject({ conflictGuard: false });
    // Words inside strings are data, not clauses.
    expect(first("INSERT INTO notes (body) VALUES ('ON CONFLICT DO NOTHING')")).toMatchObject({ conflictGuard: false });
  });

  it('classifies each statement of a script, with offsets into the text', () => {
    const text = "-- reset\nDROP TABLE IF EXISTS a;\nCREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\n";
    const statements = classifySql(text);
    expect(statements.map((s) => s.kind)).toEqual(['drop', 'createTable', 'insert']);
    expect(statements.map((s) => text.slice(s.start, s.end))).toEqual(['DROP TABLE IF EXISTS a', 'CREATE TABLE a (id int)', 'INSERT INTO a VALUES (1)']);
  });

  it('ignores keywords in comments and strings', () => {
    expect(kinds("SELECT 'DROP TABLE users; TRUNCATE x' -- DELETE FROM users\n")).toEqual(['other']);
    expect(kinds('/* DROP TABLE users; */ SELECT 1')).toEqual(['other']);
    expect(kinds('SELECT "delete" FROM "drop"')).toEqual(['other']);
  });

  it('marks exactly the data-destroying kinds as destructive', () => {
    expect([...DESTRUCTIVE_KINDS].sort()).toEqual(['alterDropColumn', 'deleteAll', 'drop', 'truncate']);
  });

  it('describes statements for messages', () => {
    expect(describeStatement(first('DELETE FROM users'))).toBe('DELETE FROM users without WHERE');
    expect(describeStatement(first('ALTER TABLE users DROP COLUMN email'))).toBe('ALTER TABLE users DROP COLUMN');
    expect(describeStatement(first('DROP MATERIALIZED VIEW mv'))).toBe('DROP MATERIALIZED VIEW mv');
    expect(describeStatement(first('TRUNCATE sessions'))).toBe('TRUNCATE sessions');
  });
});

describe('looksLikeSql', () => {
  it('accepts statements, lower case and with comments first', () => {
    for (const sql of ['DROP TABLE users', 'drop table if exists users', 'Delete from users;', 'Drop table users;', 'DELETE FROM cart', 'delete from cart', '-- reset\nTRUNCATE sessions', 'DELETE FROM users', 'insert into t (a) values (1)', `DROP TABLE ${SQL_HOLE}`, 'DROP TABLE users CASCADE', 'DROP TABLE a\nCREATE TABLE a (id int)']) {
      expect(looksLikeSql(sql), sql).toBe(true);
    }
  });

  it('rejects prose that starts with a keyword', () => {
    for (const text of ['drop table failed', 'Drop table failed: connection reset', 'drop table users failed', 'Create table for users', 'Delete from the cart', 'Delete from cart', 'Drop table users', 'truncate not allowed', 'Update', 'Select']) {
      expect(looksLikeSql(text), text).toBe(false);
    }
  });

  it('rejects text that does not start with a statement keyword', () => {
    expect(looksLikeSql('Could not DROP TABLE users')).toBe(false);
    expect(looksLikeSql('')).toBe(false);
    expect(looksLikeSql("'DROP TABLE users'")).toBe(false);
  });
});

describe('migration sections', () => {
  it('finds dbmate, goose, sql-migrate and Play markers', () => {
    const text = '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n';
    const sections = getMigrationSections(text);
    expect(sections.map((s) => s.phase)).toEqual(['up', 'down']);
    expect(getMigrationPhaseAt(sections, text.indexOf('CREATE'), undefined)).toBe('up');
    expect(getMigrationPhaseAt(sections, text.indexOf('DROP'), undefined)).toBe('down');
    expect(getMigrationSections('-- +goose Up\n-- +goose Down\n-- +migrate Down\n# --- !Downs\n-- //@UNDO\n').map((s) => s.phase)).toEqual(['up', 'down', 'down', 'down', 'down']);
  });

  it('falls back to the file phase before any marker', () => {
    expect(getMigrationPhaseAt([], 10, 'down')).toBe('down');
    expect(getMigrationPhaseAt(getMigrationSections('SELECT 1;\n-- migrate:down\n'), 0, undefined)).toBeUndefined();
  });
});
