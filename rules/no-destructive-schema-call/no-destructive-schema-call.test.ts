import { RuleTester } from '@typescript-eslint/rule-tester';
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
    // look-alike methods on other objects
    'cache.clear();',
    'new Map().clear();',
    '[1, 2, 3].values().drop(1);',
    '_.drop(list, 2);',
    "text.truncate(20);",
    "execSync('npx prisma migrate deploy');",
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
      errors: [{ messageId: 'destructiveCall', line: 1, column: 7 }],
    },
    {
      code: "await db.collection('events').drop();",
      errors: [{ messageId: 'destructiveCall', line: 1, column: 7 }],
    },
    {
      code: "await orm.getSchemaGenerator().refreshDatabase();",
      errors: [{ messageId: 'destructiveCall', line: 1, column: 7 }],
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
