import { RuleTester } from '../../test/support/rule-tester.js';
import plugin from '../../src/eslint/plugin.js';

const ruleTester = new RuleTester();

ruleTester.run('no-destructive-schema-call', plugin.rules['no-destructive-schema-call'], {
  valid: [
    // create-only synchronisation never drops
    'await dataSource.synchronize();',
    'await sequelize.sync();',
    'await sequelize.sync({ force: false });',
    'await sequelize.sync({ alter: true });',
    // only in tests
    "if (process.env.NODE_ENV === 'test') { await sequelize.sync({ force: true }); }",
    "await sequelize.sync({ force: process.env.NODE_ENV === 'test' });",
    "const isTest = process.env.NODE_ENV === 'test';\nawait sequelize.sync({ force: isTest });",
    { code: 'afterAll(async () => { await dataSource.dropDatabase(); });', filename: 'src/users.ts' },
    { code: 'await dataSource.dropDatabase();', filename: 'test/setup-db.ts' },
    { code: 'await dataSource.dropDatabase();', filename: 'src/users.e2e-spec.ts' },
    "if (process.env.NODE_ENV !== 'test') { throw new Error('tests only'); }\nawait dataSource.dropDatabase();",
    // a migration's down() undoes what up() created
    {
      code: 'export class AddUsers { async down(queryRunner) { await queryRunner.dropTable("users"); } }',
      filename: 'src/migrations/1700000000000-add-users.ts',
    },
    { code: "exports.down = (knex) => knex.schema.dropTable('users');", filename: 'db/migrations/20240101_users.js' },
    // words in a log message or a comment
    "logger.warn('dataSource.dropDatabase() is only for tests');",
    '// await dataSource.dropDatabase();\nstart();',
    '/* sequelize.sync({ force: true }) */ start();',
    // the audit rates this a warning; ESLint can leave those to the audit
    {
      code: "await queryRunner.dropTable('users');",
      filename: 'src/migrations/1700000000000-drop-users.ts',
      settings: { dbguard: { warnings: 'off' } },
    },
    // look-alike methods on other objects
    'cache.clear();',
    'new Map().clear();',
    '[1, 2, 3].values().drop(1);',
    '_.drop(list, 2);',
    "text.truncate(20);",
    "execSync('npx prisma migrate deploy');",
    // filtered deletes delete what they name
    'await prisma.session.deleteMany({ where: { owner } });',
    'await Token.deleteMany({ owner });',
    "await knex('login_attempts').where({ owner }).del();",
    'cache.delete(key);',
    'await this.usersRepository.delete({ id });',
    "router.delete('/cards/:id', handler);",
  ],
  invalid: [
    {
      code: 'await dataSource.dropDatabase();',
      errors: [{ messageId: 'destructiveCall', line: 1, column: 7, endLine: 1, endColumn: 32 }],
    },
    {
      code: 'await sequelize.sync({ force: true });',
      errors: [
        {
          messageId: 'forceSync',
          line: 1,
          column: 24,
          endColumn: 35,
          suggestions: [{ messageId: 'useFalse', output: 'await sequelize.sync({ force: false });' }],
        },
      ],
    },
    {
      code: 'const force = true;\nawait sequelize.sync({ force });',
      errors: [{ messageId: 'forceSync', line: 2, column: 24, endColumn: 29, suggestions: [] }],
    },
    {
      code: "await sequelize.sync({ force: process.env.DB_RESET === 'true' });",
      errors: [{ messageId: 'envDrivenSync', line: 1, column: 24 }],
    },
    {
      code: 'await dataSource.synchronize(true);',
      errors: [{ messageId: 'forceSync', line: 1, column: 30, suggestions: [{ messageId: 'useFalse', output: 'await dataSource.synchronize(false);' }] }],
    },
    {
      code: "await queryRunner.dropTable('users');",
      filename: 'src/migrations/1700000000000-drop-users.ts',
      errors: [{ messageId: 'intendedChange', line: 1, column: 7 }],
    },
    {
      code: "await queryInterface.dropAllTables();",
      errors: [{ messageId: 'destructiveCall', line: 1, column: 7 }],
    },
    {
      code: "await this.usersRepository.clear();",
      errors: [{ messageId: 'destructiveCall', line: 1, column: 7 }],
    },
    {
      code: "await User.destroy({ truncate: true });",
      errors: [{ messageId: 'destructiveCall', line: 1, column: 7 }],
    },
    {
      code: "await knex('users').truncate();",
      // A call on a call's result is reported from its own name, so chained calls keep distinct positions.
      errors: [{ messageId: 'destructiveCall', line: 1, column: 21 }],
    },
    {
      code: "await db.collection('events').drop();",
      errors: [{ messageId: 'destructiveCall', line: 1, column: 31 }],
    },
    {
      code: "await orm.getSchemaGenerator().refreshDatabase();",
      errors: [{ messageId: 'destructiveCall', line: 1, column: 32 }],
    },
    {
      code: "await knex.schema.dropTable('a').dropTable('b');",
      errors: [
        { messageId: 'destructiveCall', line: 1, column: 7, endColumn: 33 },
        { messageId: 'destructiveCall', line: 1, column: 34, endColumn: 48 },
      ],
    },
    {
      code: 'await prisma.session.deleteMany();',
      errors: [{ messageId: 'destructiveCall', line: 1, column: 7 }],
    },
    {
      code: 'await Token.deleteMany({});',
      errors: [{ messageId: 'destructiveCall', line: 1, column: 7 }],
    },
    {
      code: 'await prisma.session.deleteMany({ where: {} });',
      errors: [{ messageId: 'destructiveCall', line: 1, column: 7 }],
    },
    {
      code: "await knex('login_attempts').del();",
      errors: [{ messageId: 'destructiveCall', line: 1, column: 30 }],
    },
    {
      code: "await db.from('sessions').delete();",
      errors: [{ messageId: 'destructiveCall', line: 1, column: 27 }],
    },
    {
      code: 'await this.usersRepository.delete({});',
      errors: [{ messageId: 'destructiveCall', line: 1, column: 7 }],
    },
    {
      code: "await queryRunner.dropColumn('member', 'nickname');",
      filename: 'src/migrations/1715000000000-remove-nickname.ts',
      errors: [{ messageId: 'intendedChange', line: 1, column: 7 }],
    },
    {
      code: "exports.up = (knex) => knex.schema.alterTable('a', (t) => { t.dropColumn('b'); });\nexports.down = () => {};",
      filename: 'db/knex_migrations/001.js',
      errors: [{ messageId: 'intendedChange', line: 1, column: 61 }],
    },
    {
      code: "exports.up = (knex) => knex.schema.dropTable('old');\nexports.down = (knex) => knex.schema.dropTable('new');",
      filename: 'src/db/001-outside-a-migrations-folder.js',
      errors: [{ messageId: 'intendedChange', line: 1, column: 24 }],
    },
    {
      code: "spawnSync('npx', ['prisma', 'migrate', 'reset', '--force']);",
      errors: [{ messageId: 'destructiveCommand', line: 1, column: 11, endColumn: 16 }],
    },
    {
      code: "if (process.env.NODE_ENV === 'production') { await sequelize.drop(); }",
      errors: [{ messageId: 'destructiveCall', line: 1, column: 52 }],
    },
  ],
});
