import { afterAll, describe, expect, it } from 'vitest';
import { getPythonCodeSql } from '../../src/core/python/executed-sql.js';
import { SQL_HOLE } from '../../src/core/sql/lexer.js';
import { textOf } from '../../src/core/python/syntax.js';
import { deletePythonTrees, pythonModule } from './python-helpers.js';

afterAll(deletePythonTrees);

describe('getPythonCodeSql', () => {
  it('finds SQL reaching execute, executescript, executemany, exec_driver_sql, text() and RunSQL', async () => {
    const module = await pythonModule(
      [
        'cur.execute("DROP TABLE cards")',
        'conn.executescript("""',
        '    DELETE FROM sessions;',
        '""")',
        'cur.executemany("INSERT INTO t (a) VALUES (?)", rows)',
        'conn.exec_driver_sql("TRUNCATE events")',
        'session.execute(text("DROP TABLE IF EXISTS legacy"))',
        'op.execute(sa.text(f"ALTER TABLE {name} DROP COLUMN notes"))',
        'ops = [migrations.RunSQL("INSERT INTO roles VALUES (1)", reverse_sql="DELETE FROM roles")]',
        '',
      ].join('\n'),
    );
    const executed = getPythonCodeSql(module).executed;
    expect(executed.map((e) => [e.api, e.statements.map((s) => s.kind).join(',')])).toEqual([
      ['cur.execute', 'drop'],
      ['conn.executescript', 'deleteAll'],
      ['cur.executemany', 'insert'],
      ['conn.exec_driver_sql', 'truncate'],
      ['session.execute(text())', 'drop'],
      ['op.execute(text())', 'alterDropColumn'],
      ['migrations.RunSQL', 'insert'],
      ['migrations.RunSQL', 'deleteAll'],
    ]);
    expect(executed[5]!.text).toBe(`ALTER TABLE ${SQL_HOLE} DROP COLUMN notes`);
  });

  it('ignores strings that never reach a database: logs, errors, docstrings, prose', async () => {
    const module = await pythonModule(
      [
        'def reset():',
        '    """Runs DROP TABLE cards; never in production."""',
        '    logger.info("DROP TABLE cards")',
        '    raise RuntimeError("DELETE FROM cards failed")',
        '    cur.execute("drop table failed for users")',
        '',
      ].join('\n'),
    );
    expect(getPythonCodeSql(module).executed).toEqual([]);
  });

  it('finds .sql files read and executed, through open(), with-blocks, Path and open_resource', async () => {
    const module = await pythonModule(
      [
        'conn.executescript(open("schema.sql").read())',
        'with app.open_resource("db/schema.sql") as f:',
        '    db.executescript(f.read().decode("utf8"))',
        'SCHEMA_PATH = Path(__file__).parent / "migrations" / "001_init.sql"',
        'conn.executescript(SCHEMA_PATH.read_text())',
        'sql = os.path.join(BASE, "seed.sql")',
        'cursor.execute(open(sql).read())',
        'conn.executescript(open("README.md").read())',
        '',
      ].join('\n'),
    );
    const files = getPythonCodeSql(module).schemaFiles;
    expect(files.map((f) => [f.api, f.path.split(SQL_HOLE).join('…'), textOf(module, f.node).slice(0, 12)])).toEqual([
      ['conn.executescript', 'schema.sql', 'open("schema'],
      ['db.executescript', 'db/schema.sql', 'f.read().dec'],
      ['conn.executescript', '…/migrations/001_init.sql', 'SCHEMA_PATH.'],
      ['cursor.execute', '…/seed.sql', 'open(sql).re'],
    ]);
  });
});
