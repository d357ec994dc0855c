import { afterAll, describe, expect, it } from 'vitest';
import { getPythonExecutionContext, getPythonStartupScope } from '../../src/core/python/context.js';
import { getPyModule, textOf } from '../../src/core/python/syntax.js';
import type { FileRole } from '../../src/core/types.js';
import { deletePythonTrees, pythonInput } from './python-helpers.js';

afterAll(deletePythonTrees);

const STARTUP = /^(?:init_?db|initiali[sz]e|seed\w*|bootstrap\w*)$/;

/** The context of the call `target()` in `code`. */
async function contextOf(code: string, role: FileRole = 'application', path = 'app/example.py') {
  const module = getPyModule(await pythonInput(code, path, role));
  const call = module.nodes.find((n) => n.type === 'call' && textOf(module, n) === 'target()');
  if (!call) throw new Error('no target() call');
  return { context: getPythonExecutionContext(module, call, role), startup: getPythonStartupScope(module, call, STARTUP)?.where };
}

describe('getPythonExecutionContext', () => {
  it('is the test context in test files, pytest fixtures and TestCase classes', async () => {
    expect((await contextOf('target()\n', 'testConfig', 'tests/conftest.py')).context).toBe('test');
    expect((await contextOf('@pytest.fixture(autouse=True)\ndef db():\n    yield\n    target()\n')).context).toBe('test');
    expect((await contextOf('class CardTests(unittest.TestCase):\n    def tearDown(self):\n        target()\n')).context).toBe('test');
    expect((await contextOf('class TestingConfig(Config):\n    URL = target()\n')).context).toBe('test');
  });

  it('reads TESTING guards in their many spellings, including else branches and early returns', async () => {
    for (const condition of ['os.getenv("TESTING")', 'settings.TESTING', 'app.config["TESTING"]', 'os.environ.get("ENV") == "test"', '"pytest" in sys.modules', 'settings.ENVIRONMENT in ("test", "testing")', 'os.getenv("TESTING") == "1"']) {
      expect((await contextOf(`if ${condition}:\n    target()\n`)).context, condition).toBe('test');
    }
    expect((await contextOf('if not settings.TESTING:\n    pass\nelse:\n    target()\n')).context).toBe('test');
    expect((await contextOf('def reset():\n    if not os.getenv("TESTING"):\n        return\n    target()\n')).context).toBe('test');
    expect((await contextOf('url = target() if settings.TESTING else prod\n')).context).toBe('test');
    expect((await contextOf('if settings.ENV == "development":\n    target()\n')).context).toBe('development');
    expect((await contextOf('if settings.ENV == "production":\n    pass\nelse:\n    target()\n')).context).toBe('development');
  });

  it('does not take the production side of a guard for the test side', async () => {
    expect((await contextOf('if os.getenv("TESTING"):\n    pass\nelse:\n    target()\n')).context).toBe('application');
    expect((await contextOf('if os.getenv("TESTING") is None:\n    target()\n')).context).toBe('application');
    expect((await contextOf('def test_connection():\n    target()\n')).context).toBe('application');
  });

  it('separates Alembic upgrade from downgrade and Django reverse operations', async () => {
    const path = 'alembic/versions/001_init.py';
    expect((await contextOf('def upgrade():\n    target()\n', 'migration', path)).context).toBe('migrationUp');
    expect((await contextOf('def downgrade():\n    target()\n', 'migration', path)).context).toBe('migrationDown');
    expect((await contextOf('def helper():\n    target()\n', 'migration', path)).context).toBe('migrationUp');
    const django = 'def forwards(apps, schema_editor):\n    pass\ndef backwards(apps, schema_editor):\n    target()\nops = [migrations.RunPython(forwards, backwards)]\n';
    expect((await contextOf(django, 'migration', 'shop/migrations/0002_data.py')).context).toBe('migrationDown');
    expect((await contextOf('ops = [migrations.RunSQL("SELECT 1", reverse_sql=target())]\n', 'migration', 'shop/migrations/0003.py')).context).toBe('migrationDown');
    expect((await contextOf('def seed():\n    target()\n', 'seed', 'seeds/users.py')).context).toBe('seed');
  });
});

describe('getPythonStartupScope', () => {
  it('finds startup functions, handlers, lifespan, __main__ blocks and module-level app contexts', async () => {
    expect((await contextOf('def init_db():\n    target()\n')).startup).toBe('in startup code `init_db()`');
    expect((await contextOf('@app.on_event("startup")\nasync def load():\n    target()\n')).startup).toBe('in startup code `load()`');
    expect((await contextOf('@asynccontextmanager\nasync def run_app(app):\n    target()\n    yield\napp = FastAPI(lifespan=run_app)\n')).startup).toBe('in startup code `run_app()`');
    expect((await contextOf('@app.before_first_request\ndef prepare():\n    target()\n')).startup).toBe('in startup code `prepare()`');
    expect((await contextOf('class ShopConfig(AppConfig):\n    def ready(self):\n        target()\n')).startup).toBe('in startup code `ready()`');
    expect((await contextOf('if __name__ == "__main__":\n    target()\n')).startup).toBe('in the `if __name__ == "__main__":` block');
    expect((await contextOf('with app.app_context():\n    target()\n')).startup).toBe('in module-level `with app.app_context():` code');
  });

  it('is undefined in request handlers and helpers', async () => {
    expect((await contextOf('@app.post("/cards")\ndef create_card():\n    target()\n')).startup).toBeUndefined();
    expect((await contextOf('def initialize_session(user):\n    target()\n')).startup).toBeUndefined();
  });
});
