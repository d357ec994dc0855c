import { RuleTester } from '../../test/support/rule-tester.js';
import plugin from '../../src/eslint/plugin.js';

const ruleTester = new RuleTester();

const options = [{ productionDatabases: ['./kanban.db', 'postgres://db.internal:5432/app'] }] as const;
/** A production SQLite file without an extension, so only positions that say "file" can name it. */
const ledger = [{ productionDatabases: ['./ledger', 'postgres://db.internal:5432/app'] }] as const;

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
    // a bare name is a file only where the position says SQLite file: credentials and server database names are not
    { code: "await new GenericContainer('mariadb:11').withEnvironment({ MYSQL_DATABASE: 'ledger', MYSQL_USER: 'ledger', MYSQL_PASSWORD: 'ledger' }).start();", filename: 'test/upgrade.spec.ts', options: ledger },
    { code: "const db = knex({ client: 'mysql2', connection: { socketPath: '/run/mysqld/mysqld.sock', user: 'ledger', database: 'ledger' } });", filename: 'test/upgrade.spec.ts', options: ledger },
    { code: "const ds = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, database: 'ledger' });", filename: 'test/setup.ts', options: ledger },
    { code: "const pool = createPool({ user: 'ledger', password: 'ledger', database: 'ledger' });", filename: 'test/setup.ts', options: ledger },
    { code: "const sequelize = new Sequelize({ dialect: 'sqlite', storage: ':memory:', database: 'ledger' });", filename: 'test/setup.ts', options: ledger },
    { code: "process.env.DB_USER = 'ledger';\nprocess.env.POSTGRES_PASSWORD = 'ledger';\nprocess.env.DB_NAME = 'ledger';\nprocess.env.MYSQL_DATABASE = 'ledger';", filename: 'test/setup.ts', options: ledger },
    { code: "export default defineConfig({ test: { env: { DB_HOST: 'ledger', DB_PORT: '5432', DB_PASSWORD_FILE: 'ledger' } } });", filename: 'vitest.config.ts', options: ledger },
    { code: "execSync('MYSQL_PASSWORD=ledger DATABASE_URL=$LEDGER_URL npm run migrate');", filename: 'test/global-setup.ts', options: ledger },
    { code: "const upload = { storage: 'ledger', filename: 'ledger' };\nconst db = 'ledger';", filename: 'test/upload.spec.ts', options: ledger },
    // `normalizedB` ends in "dB" but is no database variable (typeorm's index type comparison)
    { code: "const normalizedB = index.isSpatial ? 'ledger' : (index.type ?? 'btree');", filename: 'test/index.spec.ts', options: ledger },
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
    {
      // the options say SQLite, so `database` is the file even without an extension
      code: "const ds = new DataSource({ type: 'better-sqlite3', database: 'ledger' });",
      filename: 'test/setup.ts',
      options: ledger,
      errors: [{ messageId: 'productionDatabaseInTest', data: { location: 'ledger', production: './ledger', testDatabase: '`test_ledger` or `:memory:`' }, line: 1, column: 63, endColumn: 71, suggestions: [{ messageId: 'useTestDatabase', output: "const ds = new DataSource({ type: 'better-sqlite3', database: 'test_ledger' });" }] }],
    },
    {
      // knex names the engine one level up
      code: "const db = knex({ client: 'sqlite3', connection: { filename: 'ledger' } });",
      filename: 'test/setup.ts',
      options: ledger,
      errors: [{ messageId: 'productionDatabaseInTest', line: 1, column: 62, endColumn: 70, suggestions: [{ messageId: 'useTestDatabase', output: "const db = knex({ client: 'sqlite3', connection: { filename: 'test_ledger' } });" }] }],
    },
    {
      code: "const db = knex({\n  client: 'pg',\n  connection: { host: 'db.internal', user: 'ledger', password: 'ledger', database: 'app' },\n});",
      filename: 'test/setup.ts',
      options: ledger,
      errors: [{ messageId: 'productionDatabaseInTest', data: { location: 'postgres://db.internal:5432/app', production: 'postgres://db.internal:5432/app', testDatabase: '`postgres://db.internal:5432/app_test`' }, line: 3, column: 84, endColumn: 89, suggestions: [] }],
    },
    {
      code: "process.env.DB_PATH = 'ledger';",
      filename: 'test/setup.ts',
      options: ledger,
      errors: [{ messageId: 'productionDatabaseInTest', line: 1, column: 23, endColumn: 31, suggestions: [{ messageId: 'useTestDatabase', output: "process.env.DB_PATH = 'test_ledger';" }] }],
    },
    {
      // `SQLITE_DB` names a file once the value has a folder in it
      code: "export default defineConfig({ test: { env: { SQLITE_DB: './ledger', DB_USER: 'ledger' } } });",
      filename: 'vitest.config.ts',
      options: ledger,
      errors: [{ messageId: 'productionDatabaseInTest', line: 1, column: 57, endColumn: 67, suggestions: [{ messageId: 'useTestDatabase', output: "export default defineConfig({ test: { env: { SQLITE_DB: './test_ledger', DB_USER: 'ledger' } } });" }] }],
    },
    {
      code: "execSync('MYSQL_PASSWORD=ledger DATABASE_URL=file:./ledger npm run migrate');",
      filename: 'test/global-setup.ts',
      options: ledger,
      errors: [{ messageId: 'productionDatabaseInTest', data: { location: 'file:./ledger', production: './ledger', testDatabase: '`test_ledger` or `:memory:`' }, line: 1, column: 10, endColumn: 76 }],
    },
    {
      code: "const sequelize = new Sequelize({ dialect: 'sqlite', storage: 'ledger' });",
      filename: 'test/setup.ts',
      options: ledger,
      errors: [{ messageId: 'productionDatabaseInTest', line: 1, column: 63, endColumn: 71, suggestions: [{ messageId: 'useTestDatabase', output: "const sequelize = new Sequelize({ dialect: 'sqlite', storage: 'test_ledger' });" }] }],
    },
  ],
});
