import { afterAll, describe, expect, it } from 'vitest';
import { extractPythonExecutedSqlFiles, extractPythonImports, extractPythonMocks, extractPythonSetsEnv } from '../../src/core/python/facts.js';
import { collectPythonLocationFacts } from '../../rules/no-test-prod-database/python.js';
import { deletePythonTrees, pythonInput } from './python-helpers.js';

afterAll(deletePythonTrees);

const IMPORTS = [
  'import os, app.database as database',
  'from .config import settings',
  'from ..models import (',
  '    Card,',
  '    Board as B,',
  ')',
  '"""',
  'import not_an_import',
  '"""',
  '# from app import commented',
  '',
].join('\n');

describe('extractPythonImports', () => {
  it('lists modules as written, relative dots kept, from-import names as possible submodules', async () => {
    const fromTree = extractPythonImports(await pythonInput(IMPORTS));
    expect(fromTree.map((f) => f.specifier)).toEqual(['os', 'app.database', '.config', '.config.settings', '..models', '..models.Card', '..models.Board']);
    expect(IMPORTS.slice(fromTree[2]!.range[0], fromTree[2]!.range[1])).toBe('from .config import settings');
  });

  it('gives the same answer from the text alone, skipping docstrings and comments', () => {
    expect(extractPythonImports(IMPORTS).map((f) => f.specifier)).toEqual(['os', 'app.database', '.config', '.config.settings', '..models', '..models.Card', '..models.Board']);
  });
});

describe('extractPythonSetsEnv', () => {
  const code = [
    'os.environ["DATABASE_URL"] = "sqlite:///./test.db"',
    'os.environ.setdefault("TESTING", "1")',
    'def test_x(monkeypatch):',
    '    monkeypatch.setenv("SECRET_KEY", "x")',
    '@patch.dict(os.environ, {"REDIS_URL": "redis://"})',
    'def test_y():',
    '    os.environ.update(APP_ENV="test")',
    'print(os.environ["HOME"])',
    '',
  ].join('\n');

  it('finds every way test code sets a variable', async () => {
    expect(extractPythonSetsEnv(await pythonInput(code, 'tests/conftest.py', 'testConfig'), 'testConfig').sort()).toEqual(['APP_ENV', 'DATABASE_URL', 'REDIS_URL', 'SECRET_KEY', 'TESTING']);
  });

  it('counts only test-context assignments in application files', async () => {
    const app = 'os.environ["DATABASE_URL"] = "sqlite:///./app.db"\nif settings.TESTING:\n    os.environ["CACHE_URL"] = "memory://"\n';
    expect(extractPythonSetsEnv(await pythonInput(app), 'application')).toEqual(['CACHE_URL']);
  });

  it('reads the text alone when there is no tree', () => {
    expect(extractPythonSetsEnv(code).sort()).toEqual(['DATABASE_URL', 'SECRET_KEY', 'TESTING']);
  });
});

describe('extractPythonMocks', () => {
  it('returns the module part of patch targets and patched imported modules', async () => {
    const code = [
      'from app import database',
      '@patch("app.database.engine")',
      'def test_a(): pass',
      'def test_b(mocker, monkeypatch):',
      '    mocker.patch("app.services.mail.send")',
      '    monkeypatch.setattr(database, "SessionLocal", FakeSession)',
      '    monkeypatch.setattr("app.cache.client", None)',
      '    setattr(obj, "x", 1)',
      '',
    ].join('\n');
    expect(extractPythonMocks(await pythonInput(code, 'tests/test_a.py', 'test')).sort()).toEqual(['app.cache', 'app.database', 'app.services.mail']);
  });
});

describe('collectPythonLocationFacts', () => {
  it('lists every location with its side and the variable it is only a fallback for', async () => {
    const code = [
      'import os',
      'from pydantic_settings import BaseSettings, SettingsConfigDict',
      'DATABASE_URL = os.getenv("DATABASE_URL", "sqlite:///./kanban.db")',
      'BACKUP = os.environ.get("BACKUP_DB") or "./backup.db"',
      'class Settings(BaseSettings):',
      '    model_config = SettingsConfigDict(env_prefix="KANBAN_")',
      '    database_url: str = "sqlite:///./settings.db"',
      'def connect(path="data/app.db"):',
      '    return sqlite3.connect(path)',
      'engine = create_engine("postgresql://user:secret@db.internal:5432/app")',
      'if settings.TESTING:',
      '    TEST_URL = "sqlite:///./test_kanban.db"',
      'logger.info("using ./kanban.db")',
      'assert url != "sqlite:///./kanban.db"',
      '',
    ].join('\n');
    const facts = collectPythonLocationFacts(await pythonInput(code, 'app/database.py'));
    expect(facts.map((f) => [f.line, f.shown, f.inTest, f.envFallback])).toEqual([
      [3, 'sqlite:///./kanban.db', false, 'DATABASE_URL'],
      [4, './backup.db', false, 'BACKUP_DB'],
      [7, 'sqlite:///./settings.db', false, 'KANBAN_DATABASE_URL'],
      [8, 'data/app.db', false, 'parameter path'],
      [10, 'postgres://db.internal:5432/app', false, undefined],
      [12, 'sqlite:///./test_kanban.db', true, undefined],
    ]);
    expect(facts[0]!.location).toEqual({ kind: 'file', path: 'kanban.db' });
  });

  it('resolves paths built from the file location and keeps test-side guards silent', async () => {
    const code = [
      'BASE_DIR = Path(__file__).resolve().parent.parent',
      'PRODUCTION_DB = "sqlite:///./kanban.db"',
      'DB = BASE_DIR / "kanban.db"',
      'EMPTY = Path()',
      'JOINED = os.path.join()',
      'def test_guard(engine):',
      '    assert str(engine.url) != PRODUCTION_DB',
      '',
    ].join('\n');
    const facts = collectPythonLocationFacts(await pythonInput(code, 'tests/conftest.py', 'testConfig'));
    // `Path()` and `os.path.join()` without arguments name no file (and once crashed the path builder).
    expect(facts.map((f) => [f.line, f.shown, f.inTest, f.location])).toEqual([[3, 'kanban.db', true, { kind: 'file', path: 'kanban.db' }]]);
  });
});

describe('extractPythonExecutedSqlFiles', () => {
  const STARTUP = /^(?:init_?db|initiali[sz]e|seed\w*|bootstrap\w*)$/;

  it('names each executed .sql file with what runs it: startup code, a CLI command, or other code', async () => {
    const code = [
      'def init_db():',
      '    db = get_db()',
      '    with current_app.open_resource("schema.sql") as f:',
      '        db.executescript(f.read().decode("utf8"))',
      '@click.command("init-db")',
      'def init_db_command():',
      '    init_db()',
      '@app.on_event("startup")',
      'def load():',
      '    conn.executescript(Path(__file__).with_name("boot.sql").read_text())',
      'def bootstrap_reports(conn):',
      '    conn.executescript(open("db/reports.sql").read())',
      'def refresh(conn):',
      '    conn.executescript(open("views.sql").read())',
      '',
    ].join('\n');
    const files = extractPythonExecutedSqlFiles(await pythonInput(code, 'app/db.py'), STARTUP);
    expect(files.map((f) => [f.name, f.api, f.trigger])).toEqual([
      ['schema.sql', 'db.executescript', 'cli'],
      ['reports.sql', 'conn.executescript', 'startup'],
      ['views.sql', 'conn.executescript', 'other'],
    ]);
  });

  it('leaves test code out', async () => {
    expect(extractPythonExecutedSqlFiles(await pythonInput('conn.executescript(open("schema.sql").read())\n', 'tests/conftest.py', 'testConfig'), STARTUP)).toEqual([]);
  });
});
