import { RuleTester } from '../../test/support/rule-tester.js';
import plugin from '../../src/eslint/plugin.js';

const ruleTester = new RuleTester();

ruleTester.run('no-in-memory-database', plugin.rules['no-in-memory-database'], {
  valid: [
    // a database file or server URL from configuration
    "const db = new Database('./data/app.db');",
    'const db = new Database(process.env.DB_PATH);',
    // words in a log message, an error message, prose, a comment, a JSDoc
    "logger.info('using :memory: database');",
    "throw new Error('DB_PATH is not set; refusing to fall back to :memory:');",
    "const help = 'Set DB_PATH to a file: :memory: loses every write';",
    "// const db = new Database(':memory:');\nstart();",
    "/** Opens the database. Tests pass ':memory:'. */\nexport function open(path: string) { return new Database(path); }",
    // the value is compared, not used
    "const isMemory = filename === ':memory:';",
    "if (filename !== ':memory:') { mkdirSync(dirname(filename), { recursive: true }); }",
    "const IN_MEMORY = ':memory:';\nexport const isInMemory = (file: string) => file === IN_MEMORY;",
    "switch (file) { case ':memory:': break; }",
    "if ([':memory:', ''].includes(file)) { skip(); }",
    // a documentation decorator describes a value, it does not configure one
    "class Dto { @ApiProperty({ description: 'SQLite file', example: ':memory:' }) path!: string; }",
    // other products' memory options
    "CacheModule.register({ store: 'memory', ttl: 5 });",
    "const redis = new Redis({ maxmemoryPolicy: 'noeviction' });",
    // test and development only
    "const dbPath = process.env.NODE_ENV === 'test' ? ':memory:' : './data.db';",
    "if (isDev) { db = new Database(':memory:'); }",
    "describe('users', () => { const db = new Database(':memory:'); });",
    { code: "const db = new Database(':memory:');", filename: 'src/users.test.ts' },
    { code: "export default { test: { env: { DB_PATH: ':memory:' } } };", filename: 'vitest.config.ts' },
    // persisted sql.js, Sequelize with a storage file or URL
    "new DataSource({ type: 'sqljs', location: 'data/app.sqlite', autoSave: true });",
    "new DataSource({ type: 'sqljs', autoSave: true, autoSaveCallback: (data) => save(data) });",
    "const ds = new DataSource({ type: 'sqljs', location: 'data/app.sqlite' });\nexport const flush = () => ds.sqljsManager.saveDatabase();",
    "new Sequelize({ dialect: 'sqlite', storage: './data/app.sqlite' });",
    "new Sequelize('sqlite:./data/app.sqlite', { dialect: 'sqlite' });",
    // a library that mirrors the drivers' API may default to in-memory
    { code: "export function open(path = ':memory:') { return new Database(path); }", options: [{ allowParameterDefault: true }] },
  ],
  invalid: [
    {
      code: "const db = new Database(':memory:');",
      errors: [{ messageId: 'inMemoryDatabase', data: { value: ':memory:' }, line: 1, column: 25, endLine: 1, endColumn: 35 }],
    },
    {
      code: "const db = new sqlite3.Database(':memory:');",
      errors: [{ messageId: 'inMemoryDatabase', line: 1, column: 33, endColumn: 43 }],
    },
    {
      code: "const sequelize = new Sequelize('sqlite::memory:', { logging: false });",
      errors: [{ messageId: 'inMemoryDatabase', data: { value: 'sqlite::memory:' }, line: 1, column: 33, endColumn: 50 }],
    },
    {
      code: "const sequelize = new Sequelize({ dialect: 'sqlite', storage: ':memory:' });",
      errors: [{ messageId: 'inMemoryDatabase', line: 1, column: 63, endColumn: 73 }],
    },
    {
      code: "const db = knex({\n  client: 'sqlite3',\n  connection: { filename: ':memory:' },\n});",
      errors: [{ messageId: 'inMemoryDatabase', line: 3, column: 27, endLine: 3, endColumn: 37 }],
    },
    {
      code: "const prisma = new PrismaClient({ datasources: { db: { url: 'file::memory:?cache=shared' } } });",
      errors: [{ messageId: 'inMemoryDatabase', data: { value: 'file::memory:?cache=shared' }, line: 1, column: 61 }],
    },
    {
      code: "const client = createClient({ url: 'sqlite:///:memory:' });",
      errors: [{ messageId: 'inMemoryDatabase', data: { value: 'sqlite:///:memory:' }, line: 1, column: 36 }],
    },
    {
      code: `const db = new Database(\`file:\${tenant}?mode=memory&cache=shared\`);`,
      errors: [{ messageId: 'inMemoryDatabase', data: { value: 'file:…?mode=memory&cache=shared' }, line: 1, column: 25 }],
    },
    {
      // the sentinel constant is fine; using it as the location is not
      code: "const IN_MEMORY = ':memory:';\nexport const db = new Database(IN_MEMORY);",
      errors: [{ messageId: 'inMemoryDatabase', line: 2, column: 32, endColumn: 41 }],
    },
    {
      // "mem" inside a word does not make a sentinel name
      code: "const membersDbPath = ':memory:';",
      errors: [{ messageId: 'inMemoryDatabase', line: 1, column: 23 }],
    },
    {
      code: "const MEM_DB = ':memory:';\nconst db = new Database(MEM_DB);",
      errors: [{ messageId: 'inMemoryDatabase', line: 2, column: 25 }],
    },
    {
      code: "export const DATABASE_URL = 'file::memory:';",
      errors: [{ messageId: 'inMemoryDatabase', line: 1, column: 29 }],
    },
    {
      code: "const dbPath = process.env.DB_PATH ?? ':memory:';",
      errors: [{ messageId: 'inMemoryFallback', data: { value: ':memory:', source: '`process.env.DB_PATH`' }, line: 1, column: 39, endColumn: 49 }],
    },
    {
      code: "const db = new Database(process.env.DB_PATH || ':memory:');",
      errors: [{ messageId: 'inMemoryFallback', line: 1, column: 48 }],
    },
    {
      code: "export function open(path = ':memory:') { return new Database(path); }",
      errors: [{ messageId: 'inMemoryFallback', data: { value: ':memory:', source: 'the `path` argument' }, line: 1, column: 29 }],
    },
    {
      code: "const env = z.object({ DB_PATH: z.string().default(':memory:') });",
      errors: [{ messageId: 'inMemoryFallback', data: { value: ':memory:', source: 'the configured value' }, line: 1, column: 52 }],
    },
    {
      code: "const dbPath = config.inMemory ? ':memory:' : config.dbPath;",
      errors: [{ messageId: 'conditionalInMemory', data: { value: ':memory:', condition: '`config.inMemory`' }, line: 1, column: 34 }],
    },
    {
      code: "export const dataSource = new DataSource({ type: 'sqljs', entities: [User] });",
      errors: [{ messageId: 'sqljsWithoutPersistence', data: { missing: '`location` and `autoSave: true`' }, line: 1, column: 44, endColumn: 57 }],
    },
    {
      code: "export const dataSource = new DataSource({ type: 'sqljs', location: 'data/app.sqlite', entities: [User] });",
      errors: [{ messageId: 'sqljsWithoutPersistence', data: { missing: '`autoSave: true`' }, line: 1, column: 44 }],
    },
    {
      // the callback runs only when autoSave is on
      code: "new DataSource({ type: 'sqljs', autoSaveCallback: (data) => save(data) });",
      errors: [{ messageId: 'sqljsWithoutPersistence', data: { missing: '`autoSave: true`' }, line: 1, column: 18 }],
    },
    {
      code: "const sequelize = new Sequelize({ dialect: 'sqlite', logging: false });",
      errors: [{ messageId: 'sqliteWithoutStorage', line: 1, column: 35, endColumn: 52 }],
    },
    {
      // production-only code is still application code
      code: "if (process.env.NODE_ENV === 'production') { db = new Database(':memory:'); }",
      errors: [{ messageId: 'inMemoryDatabase', line: 1, column: 64 }],
    },
  ],
});
