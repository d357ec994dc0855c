import { RuleTester } from '../../test/support/rule-tester.js';
import plugin from '../../src/eslint/plugin.js';

const ruleTester = new RuleTester();

ruleTester.run('no-auto-schema-sync', plugin.rules['no-auto-schema-sync'], {
  valid: [
    // migrations instead of synchronisation
    "new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, synchronize: false, migrationsRun: true });",
    "TypeOrmModule.forRoot({ type: 'postgres', autoLoadEntities: true });",
    // true only in tests or development
    "new DataSource({ type: 'postgres', synchronize: process.env.NODE_ENV === 'test' });",
    "const isProduction = process.env.NODE_ENV === 'production';\nnew DataSource({ type: 'postgres', synchronize: !isProduction });",
    "TypeOrmModule.forRoot({ type: 'sqlite', database: 'dev.db', synchronize: isDev, dropSchema: isDev });",
    "const options = process.env.NODE_ENV === 'test' ? { type: 'postgres', dropSchema: true, synchronize: true } : productionOptions;",
    "await sequelize.sync({ alter: process.env.NODE_ENV === 'development' });",
    { code: "export default new DataSource({ type: 'postgres', synchronize: true, dropSchema: true });", filename: 'test/data-source.ts' },
    { code: "beforeAll(() => app.init(TypeOrmModule.forRoot({ type: 'postgres', synchronize: true })));", filename: 'src/app.e2e-spec.ts' },
    { code: "export default { setupFiles: [], synchronize: true, type: 'sqlite' };", filename: 'jest.config.ts' },
    // `synchronize` of something that is not an ORM
    "const replication = { synchronize: true, interval: 1000 };",
    "startSync({ synchronize: true, direction: 'push' });",
    "createSyncEngine({ type: 'couchdb', synchronize: true });",
    // words in a log message, a docs string, a comment
    "logger.warn('synchronize: true is disabled in production');",
    "const docs = 'Never set dropSchema: true outside tests';",
    "// TypeOrmModule.forRoot({ type: 'postgres', synchronize: true })\nstart();",
    // Sequelize: no alter, alter without drops, and `force` (no-destructive-schema-call's finding)
    'await sequelize.sync();',
    'await sequelize.sync({ alter: false });',
    'await sequelize.sync({ alter: { drop: false } });',
    'await sequelize.sync({ force: true, alter: true });',
    // unknown values stay silent
    "new DataSource({ type: 'postgres', synchronize: config.db.synchronize });",
  ],
  invalid: [
    {
      code: "export const dataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, synchronize: true });",
      errors: [
        {
          messageId: 'autoSynchronize',
          line: 1,
          column: 93,
          endLine: 1,
          endColumn: 110,
          suggestions: [{ messageId: 'useFalse', data: { option: 'synchronize' }, output: "export const dataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, synchronize: false });" }],
        },
      ],
    },
    {
      code: "TypeOrmModule.forRoot({\n  type: 'postgres',\n  dropSchema: true,\n});",
      errors: [
        {
          messageId: 'dropSchemaOnStart',
          line: 3,
          column: 3,
          endLine: 3,
          endColumn: 19,
          suggestions: [{ messageId: 'useFalse', data: { option: 'dropSchema' }, output: "TypeOrmModule.forRoot({\n  type: 'postgres',\n  dropSchema: false,\n});" }],
        },
      ],
    },
    {
      // an object with no ORM key, recognised by where it is passed
      code: "const options = { synchronize: true, logging: false };\nexport const dataSource = new DataSource(options);",
      errors: [{ messageId: 'autoSynchronize', line: 1, column: 19, suggestions: [{ messageId: 'useFalse', output: "const options = { synchronize: false, logging: false };\nexport const dataSource = new DataSource(options);" }] }],
    },
    {
      code: "const options: DataSourceOptions = { ...base, synchronize: true };",
      errors: [{ messageId: 'autoSynchronize', line: 1, column: 47, suggestions: [{ messageId: 'useFalse', output: 'const options: DataSourceOptions = { ...base, synchronize: false };' }] }],
    },
    {
      // a value resolved through a const is reported without a suggestion
      code: "const sync = true;\nmodule.exports = { type: 'sqlite', database: 'app.db', synchronize: sync };",
      errors: [{ messageId: 'autoSynchronize', line: 2, column: 56, endColumn: 73, suggestions: [] }],
    },
    {
      code: "TypeOrmModule.forRootAsync({\n  useFactory: (config: ConfigService) => ({ ...config.get('db'), synchronize: config.get('DB_SYNC') }),\n});",
      errors: [{ messageId: 'envDrivenSchemaSync', data: { option: 'synchronize', source: "`config.get('DB_SYNC')`", effect: 'drops the column of every renamed or removed entity property, with its data' }, line: 2, column: 66 }],
    },
    {
      code: "new DataSource({ type: 'postgres', synchronize: process.env.DB_SYNC === 'true' });",
      errors: [{ messageId: 'envDrivenSchemaSync', data: { option: 'synchronize', source: '`process.env.DB_SYNC`', effect: 'drops the column of every renamed or removed entity property, with its data' }, line: 1, column: 36 }],
    },
    {
      code: 'class DbConfig { createTypeOrmOptions() { return { ...shared, dropSchema: true }; } }',
      errors: [{ messageId: 'dropSchemaOnStart', line: 1, column: 63, suggestions: [{ messageId: 'useFalse', output: 'class DbConfig { createTypeOrmOptions() { return { ...shared, dropSchema: false }; } }' }] }],
    },
    {
      code: 'await sequelize.sync({ alter: true });',
      errors: [
        {
          messageId: 'alterSync',
          data: { call: 'sequelize.sync()' },
          line: 1,
          column: 24,
          endColumn: 35,
          suggestions: [{ messageId: 'useFalse', data: { option: 'alter' }, output: 'await sequelize.sync({ alter: false });' }],
        },
      ],
    },
    {
      code: 'await User.sync({ alter: { drop: true } });',
      errors: [{ messageId: 'alterSync', data: { call: 'User.sync()' }, line: 1, column: 19, suggestions: [] }],
    },
    {
      code: "await sequelize.sync({ alter: process.env.DB_ALTER === '1' });",
      errors: [{ messageId: 'envDrivenSchemaSync', data: { option: 'alter', source: '`process.env.DB_ALTER`', effect: 'drops the column of every renamed or removed model attribute, with its data' }, line: 1, column: 24 }],
    },
    {
      // a seed or a migration folder's data source syncs production all the same
      code: "export default new DataSource({ type: 'postgres', synchronize: true });",
      filename: 'src/migrations/data-source.ts',
      errors: [{ messageId: 'autoSynchronize', line: 1, column: 51, suggestions: [{ messageId: 'useFalse', output: "export default new DataSource({ type: 'postgres', synchronize: false });" }] }],
    },
  ],
});
