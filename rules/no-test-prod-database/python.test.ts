import { afterAll, describe, expect, it } from 'vitest';
import { deletePythonTrees, pythonInput } from '../../test/core/python-helpers.js';
import { createLocator } from '../../src/core/location.js';
import { collectPythonLocationFacts, detectPython } from './python.js';
import type { Options } from './no-test-prod-database.js';

afterAll(deletePythonTrees);

const LEDGER: Options = [{ productionDatabases: ['./ledger', 'postgres://db.internal:5432/app'] }];

/** Lines (1-based) the Python detector reports in a test file, with a production file named `ledger`. */
async function reportedLines(code: string): Promise<number[]> {
  const input = await pythonInput(code, 'tests/conftest.py', 'testConfig');
  const locate = createLocator(code);
  return detectPython(input, LEDGER).map((f) => locate(f.range[0]).line);
}

describe('no-test-prod-database (Python): which bare names are files', () => {
  it('stays silent on credentials, server database names and look-alike keywords', async () => {
    const code = [
      'container = MySqlContainer("mariadb:11").with_env("MYSQL_PASSWORD", "ledger")',
      'env = {"MYSQL_DATABASE": "ledger", "MYSQL_USER": "ledger", "POSTGRES_PASSWORD": "ledger"}',
      'os.environ["DB_USER"] = "ledger"',
      'os.environ["DB_NAME"] = "ledger"',
      'conn = psycopg2.connect(host="localhost", user="ledger", database="ledger")',
      'conn2 = pymysql.connect(unix_socket="/run/mysqld.sock", database="ledger")',
      'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "ledger", "USER": "ledger"}}',
      'user = User(name="ledger")',
      'logging.basicConfig(filename="ledger")',
      'db = "ledger"',
      'subprocess.run("MYSQL_PASSWORD=ledger DATABASE_URL=$LEDGER_URL alembic upgrade head", shell=True)',
      '',
    ].join('\n');
    expect(await reportedLines(code)).toEqual([]);
  });

  it('still reports the positions that say SQLite file', async () => {
    const code = [
      'conn = sqlite3.connect(database="ledger")',
      'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "ledger"}}',
      'os.environ["DB_PATH"] = "ledger"',
      'db.bind(provider="sqlite", filename="ledger")',
      'SQLITE_DB = "./ledger"',
      'conn = psycopg2.connect(host="db.internal", dbname="app_test")',
      'engine = create_engine("postgresql://u:p@db.internal/app")',
      '',
    ].join('\n');
    expect(await reportedLines(code)).toEqual([1, 2, 3, 4, 5, 7]);
  });
});

describe('collectPythonLocationFacts: opens', () => {
  it('marks what the module opens or names as its database, not a template it copies', async () => {
    const code = [
      'import os, shutil',
      'from sqlalchemy import create_engine',
      'TEMPLATE = "resources/empty.db"',
      'shutil.copy(TEMPLATE, "data/copy.db")',
      'SQLALCHEMY_DATABASE_URL = os.getenv("DATABASE_URL", "sqlite:///./kanban.db")',
      'URL = "sqlite:///./other.db"',
      'engine = create_engine(URL)',
      'app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///./flask.db"',
      'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}}',
      'conn = sqlite3.connect("direct.db")',
      'print("backup.db")',
      'with open("notes.db") as f: pass',
      '',
    ].join('\n');
    const facts = collectPythonLocationFacts(await pythonInput(code, 'app/database.py'));
    expect(facts.map((f) => [f.shown, f.opens === true])).toEqual([
      ['resources/empty.db', false],
      ['data/copy.db', false],
      ['sqlite:///./kanban.db', true],
      ['sqlite:///./other.db', true],
      ['sqlite:///./flask.db', true],
      ['db.sqlite3', true],
      ['direct.db', true],
      ['notes.db', false],
    ]);
  });
});
