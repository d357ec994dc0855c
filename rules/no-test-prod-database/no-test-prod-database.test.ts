import { RuleTester } from '@typescript-eslint/rule-tester';
import plugin from '../../src/eslint/plugin.js';

const ruleTester = new RuleTester();

const options = [{ productionDatabases: ['./kanban.db', 'postgres://db.internal:5432/app'] }] as const;

ruleTester.run('no-test-prod-database', plugin.rules['no-test-prod-database'], {
  valid: [
    // without configured production locations the per-file rule has nothing to compare with
    { code: "process.env.DATABASE_URL = 'sqlite:///./kanban.db';", filename: 'test/setup.ts' },
    // the fix: a database of the tests' own
    { code: "process.env.DATABASE_URL = 'sqlite:///./test_kanban.db';", filename: 'test/setup.ts', options },
    { code: "const db = new Database(':memory:');", filename: 'src/cards.test.ts', options },
    { code: "const pool = new Pool({ connectionString: 'postgres://db.internal:5432/app_test' });", filename: 'src/cards.test.ts', options },
    { code: "process.env.DATABASE_URL = process.env.TESTING ? 'sqlite:///./test_kanban.db' : 'sqlite:///./kanban.db';", filename: 'test/setup.ts', options },
    { code: "const url = process.env.NODE_ENV === 'test' ? 'test_kanban.db' : './kanban.db';", filename: 'src/db.ts', options },
    // the guard the fix recommends: compared and asserted, never opened
    {
      code: "const PRODUCTION_DB = 'sqlite:///./kanban.db';\nif (process.env.DATABASE_URL === PRODUCTION_DB) throw new Error('tests must never open the production database');",
      filename: 'test/setup.ts',
      options,
    },
    { code: "expect(process.env.DATABASE_URL).not.toBe('sqlite:///./kanban.db');", filename: 'src/config.test.ts', options },
    { code: "assert.notStrictEqual(config.databaseUrl, 'postgres://db.internal:5432/app');", filename: 'test/config.spec.ts', options },
    { code: "if (['kanban.db', './kanban.db'].includes(file)) process.exit(1);", filename: 'test/setup.ts', options },
    // the production application itself
    { code: "export const db = new Database('./kanban.db');", filename: 'src/db.ts', options },
    // words in a log message, a test title, a comment
    { code: "console.warn('./kanban.db');\nlogger.info('tests use test_kanban.db, never kanban.db');", filename: 'test/setup.ts', options },
    { code: "describe('kanban.db', () => { it('is never opened by tests', () => {}); });", filename: 'src/db.test.ts', options },
    { code: "// process.env.DATABASE_URL = './kanban.db';\nexport {};", filename: 'test/setup.ts', options },
    // naming the file to leave it alone
    { code: "export default { testPathIgnorePatterns: ['kanban.db'], watchPathIgnorePatterns: ['<rootDir>/kanban.db'] };", filename: 'jest.config.ts', options },
    { code: "if (fs.existsSync('./kanban.db')) console.log('production data present');", filename: 'test/setup.ts', options },
    // another file of the same name, another server database
    { code: "const db = new Database('data/kanban.db');", filename: 'src/cards.test.ts', options },
    { code: "const db = new Database(path.join(os.tmpdir(), 'kanban.db'));", filename: 'src/cards.test.ts', options },
    { code: "const url = 'postgres://localhost:5432/app';", filename: 'src/cards.test.ts', options },
  ],
  invalid: [
    {
      // INCIDENTS.md §1: the test setup pointed at the server's kanban.db
      code: "process.env.DATABASE_URL = 'sqlite:///./kanban.db';",
      filename: 'test/setup.ts',
      options,
      errors: [
        {
          messageId: 'productionDatabaseInTest',
          data: { location: 'sqlite:///./kanban.db', production: './kanban.db', testDatabase: '`test_kanban.db` or `:memory:`' },
          line: 1,
          column: 28,
          endLine: 1,
          endColumn: 51,
          suggestions: [{ messageId: 'useTestDatabase', data: { testDatabase: 'test_kanban.db' }, output: "process.env.DATABASE_URL = 'sqlite:///./test_kanban.db';" }],
        },
      ],
    },
    {
      code: "const sequelize = new Sequelize('postgres://admin:secret@db.internal/app');",
      filename: 'src/cards.test.ts',
      options,
      errors: [
        {
          messageId: 'productionDatabaseInTest',
          data: { location: 'postgres://db.internal:5432/app', production: 'postgres://db.internal:5432/app', testDatabase: '`postgres://db.internal:5432/app_test`' },
          line: 1,
          column: 33,
          endColumn: 74,
          suggestions: [{ messageId: 'useTestDatabase', output: "const sequelize = new Sequelize('postgres://admin:secret@db.internal/app_test');" }],
        },
      ],
    },
    {
      code: "const dataSource = new DataSource({ type: 'sqlite', database: 'kanban.db' });",
      filename: 'test/data-source.ts',
      options,
      errors: [{ messageId: 'productionDatabaseInTest', line: 1, column: 63, endColumn: 74, suggestions: [{ messageId: 'useTestDatabase', output: "const dataSource = new DataSource({ type: 'sqlite', database: 'test_kanban.db' });" }] }],
    },
    {
      // ORM options spelled as host + database
      code: "const dataSource = new DataSource({\n  type: 'postgres',\n  host: 'db.internal',\n  port: 5432,\n  database: 'app',\n});",
      filename: 'test/data-source.ts',
      options,
      errors: [{ messageId: 'productionDatabaseInTest', data: { location: 'postgres://db.internal:5432/app', production: 'postgres://db.internal:5432/app', testDatabase: '`postgres://db.internal:5432/app_test`' }, line: 5, column: 13, endColumn: 18, suggestions: [] }],
    },
    {
      code: "export default defineConfig({ test: { env: { DATABASE_URL: 'file:./kanban.db' } } });",
      filename: 'vitest.config.ts',
      options,
      errors: [{ messageId: 'productionDatabaseInTest', data: { location: 'file:./kanban.db', production: './kanban.db', testDatabase: '`test_kanban.db` or `:memory:`' }, line: 1, column: 60, endColumn: 78, suggestions: [{ messageId: 'useTestDatabase', output: "export default defineConfig({ test: { env: { DATABASE_URL: 'file:./test_kanban.db' } } });" }] }],
    },
    {
      // test code inside an application file
      code: "describe('cards', () => {\n  const db = new Database('./kanban.db');\n});",
      filename: 'src/cards.ts',
      options,
      errors: [{ messageId: 'productionDatabaseInTest', line: 2, column: 27, endColumn: 40, suggestions: [{ messageId: 'useTestDatabase', output: "describe('cards', () => {\n  const db = new Database('./test_kanban.db');\n});" }] }],
    },
    {
      code: "if (process.env.NODE_ENV === 'test') {\n  process.env.DATABASE_URL = './kanban.db';\n}",
      filename: 'src/config.ts',
      options,
      errors: [{ messageId: 'productionDatabaseInTest', line: 2, column: 30, endColumn: 43, suggestions: [{ messageId: 'useTestDatabase', output: "if (process.env.NODE_ENV === 'test') {\n  process.env.DATABASE_URL = './test_kanban.db';\n}" }] }],
    },
    {
      // a constant used as the location is reported where the value is written
      code: "const DB_FILE = './kanban.db';\nconst db = new Database(DB_FILE);",
      filename: 'test/helpers.ts',
      options,
      errors: [{ messageId: 'productionDatabaseInTest', line: 1, column: 17, endColumn: 30, suggestions: [{ messageId: 'useTestDatabase', output: "const DB_FILE = './test_kanban.db';\nconst db = new Database(DB_FILE);" }] }],
    },
    {
      // the production database as the fallback when the variable is unset
      code: "const url = process.env.DATABASE_URL ?? 'sqlite:///./kanban.db';",
      filename: 'src/cards.spec.ts',
      options,
      errors: [{ messageId: 'productionDatabaseInTest', line: 1, column: 41, endColumn: 64, suggestions: [{ messageId: 'useTestDatabase', output: "const url = process.env.DATABASE_URL ?? 'sqlite:///./test_kanban.db';" }] }],
    },
    {
      code: "execSync('DATABASE_URL=file:./kanban.db npx prisma db seed');",
      filename: 'jest.setup.ts',
      options,
      errors: [{ messageId: 'productionDatabaseInTest', data: { location: 'file:./kanban.db', production: './kanban.db', testDatabase: '`test_kanban.db` or `:memory:`' }, line: 1, column: 10, endColumn: 60, suggestions: [{ messageId: 'useTestDatabase', output: "execSync('DATABASE_URL=file:./test_kanban.db npx prisma db seed');" }] }],
    },
    {
      code: "const db = new Database(path.join(__dirname, '..', 'kanban.db'));",
      filename: 'test/setup.ts',
      options,
      errors: [{ messageId: 'productionDatabaseInTest', data: { location: 'kanban.db', production: './kanban.db', testDatabase: '`test_kanban.db` or `:memory:`' }, line: 1, column: 25, endColumn: 64 }],
    },
    {
      code: "const db = new Database('data/kanban.db');",
      filename: 'src/cards.test.ts',
      options: [{ productionDatabases: ['**/kanban.db'] }],
      errors: [{ messageId: 'productionDatabaseInTest', data: { location: 'data/kanban.db', production: '**/kanban.db', testDatabase: '`data/test_kanban.db` or `:memory:`' }, line: 1, column: 25, endColumn: 41, suggestions: [{ messageId: 'useTestDatabase', output: "const db = new Database('data/test_kanban.db');" }] }],
    },
  ],
});
