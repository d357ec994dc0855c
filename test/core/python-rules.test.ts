import { afterAll, describe, expect, it } from 'vitest';
import { rules } from '../../rules/index.js';
import { createLocator } from '../../src/core/location.js';
import { interpolate } from '../../src/core/messages.js';
import type { AnyRuleModule, FileRole, Finding } from '../../src/core/types.js';
import { deletePythonTrees, pythonInput } from './python-helpers.js';

afterAll(deletePythonTrees);

async function run(id: keyof typeof rules, text: string, path = 'app/example.py', role: FileRole = 'application', options?: unknown[]) {
  const rule = rules[id] as AnyRuleModule;
  const input = await pythonInput(text, path, role);
  const findings: Finding[] = rule.detect.python!(input, options ?? rule.meta.defaultOptions);
  const locate = createLocator(text);
  return findings.map((f) => ({
    messageId: f.messageId,
    severity: f.severity,
    start: locate(f.range[0]),
    end: locate(f.range[1]),
    message: interpolate(rule.meta.messages[f.messageId]!, f.data),
    fixed: f.suggestions?.map((s) => text.slice(0, s.fix.range[0]) + s.fix.text + text.slice(s.fix.range[1])),
  }));
}

describe('Python detectors', () => {
  it('no-destructive-schema-call reports at the call, after non-ASCII text, with the call named', async () => {
    const [finding] = await run('no-destructive-schema-call', '# ☕ café\ndef init_db():\n    Base.metadata.drop_all(bind=engine)\n');
    expect(finding).toMatchObject({ messageId: 'destructiveCall', severity: 'error', start: { line: 3, column: 5 }, end: { line: 3, column: 40 } });
    expect(finding!.message).toContain('`Base.metadata.drop_all()`');
  });

  it('no-destructive-sql reports the SQL argument and names the API', async () => {
    const [finding] = await run('no-destructive-sql', 'session.execute(text("TRUNCATE events"))\n');
    expect(finding).toMatchObject({ messageId: 'destructiveSql', start: { line: 1, column: 22 }, end: { line: 1, column: 39 } });
    expect(finding!.message).toContain('`TRUNCATE events` sent by `session.execute(text())`');
  });

  it('idempotent-migration-insert offers INSERT OR IGNORE for sqlite3 and ON CONFLICT DO NOTHING otherwise', async () => {
    const sqlite = 'import sqlite3\ndef init_db(conn):\n    conn.execute("INSERT INTO schema_migrations (version) VALUES (\'001\')")\n';
    const [record] = await run('idempotent-migration-insert', sqlite);
    expect(record).toMatchObject({ messageId: 'unguardedMigrationRecord', severity: 'error', start: { line: 3, column: 18 } });
    expect(record!.fixed).toEqual([sqlite.replace('INSERT INTO', 'INSERT OR IGNORE INTO')]);
    const pg = 'def seed_roles(cur):\n    cur.execute("INSERT INTO roles (name) VALUES (\'admin\')")\n';
    const [seed] = await run('idempotent-migration-insert', pg);
    expect(seed).toMatchObject({ messageId: 'insertWithoutConflictClause', severity: 'error' });
    expect(seed!.message).toContain('in startup code `seed_roles()`');
    expect(seed!.fixed).toEqual([pg.replace("VALUES ('admin')", "VALUES ('admin') ON CONFLICT DO NOTHING")]);
  });

  it('idempotent-migration-insert reports an ORM add in startup code at the callee', async () => {
    const [finding] = await run('idempotent-migration-insert', '@app.on_event("startup")\ndef load():\n    session.add(User(email="a@example.com"))\n');
    expect(finding).toMatchObject({ messageId: 'createWithoutUpsert', start: { line: 3, column: 5 }, end: { line: 3, column: 16 } });
  });

  it('no-schema-in-constructor names the path from __init__', async () => {
    const code = 'class Db:\n    def __init__(self, path):\n        self.conn = sqlite3.connect(path)\n        self._initialize_schema()\n\n    def _initialize_schema(self):\n        self.conn.executescript("CREATE TABLE t (id INTEGER)")\n';
    const [finding] = await run('no-schema-in-constructor', code);
    expect(finding).toMatchObject({ messageId: 'schemaInConstructor', start: { line: 4, column: 9 } });
    expect(finding!.message).toContain('Constructing `Db` runs CREATE TABLE t (`__init__ → _initialize_schema → conn.executescript`)');
  });

  it('no-in-memory-database tells a fallback from a direct use', async () => {
    const findings = await run('no-in-memory-database', 'URL = os.getenv("DATABASE_URL", "sqlite://")\nengine = create_engine("sqlite:///:memory:")\n');
    expect(findings.map((f) => [f.messageId, f.severity, f.start.line])).toEqual([['inMemoryFallback', 'warning', 1], ['inMemoryDatabase', 'error', 2]]);
    expect(findings[0]!.message).toContain('is used when `DATABASE_URL` is missing');
  });

  it('no-test-prod-database suggests the test database beside the production one', async () => {
    const text = 'SQLALCHEMY_DATABASE_URL = "sqlite:///./kanban.db"\n';
    const [finding] = await run('no-test-prod-database', text, 'tests/conftest.py', 'testConfig', [{ productionDatabases: ['./kanban.db'] }]);
    expect(finding).toMatchObject({ messageId: 'productionDatabaseInTest', start: { line: 1, column: 27 } });
    expect(finding!.fixed).toEqual(['SQLALCHEMY_DATABASE_URL = "sqlite:///./test_kanban.db"\n']);
    expect(await run('no-test-prod-database', text, 'app/database.py', 'application', [{ productionDatabases: ['./kanban.db'] }])).toEqual([]);
  });
});
