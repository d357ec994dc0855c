import { RuleTester } from '../../test/support/rule-tester.js';
import plugin from '../../src/eslint/plugin.js';

const ruleTester = new RuleTester();

ruleTester.run('no-schema-in-constructor', plugin.rules['no-schema-in-constructor'], {
  valid: [
    // the fix: an explicit init step the caller awaits once
    "class CardStore {\n  constructor(db) { this.db = db; }\n  async init() { this.db.exec('CREATE TABLE IF NOT EXISTS cards (id INTEGER PRIMARY KEY)'); }\n}",
    "class CardStore {\n  static async open(db) { const store = new CardStore(db); await store.init(); return store; }\n  constructor(db) { this.db = db; }\n  async init() { await this.dataSource.runMigrations(); }\n}",
    // tests may build their schema however they like
    { code: "class Fixture { constructor(db) { db.exec('CREATE TABLE cards (id INTEGER)'); } }", filename: 'test/fixture.ts' },
    { code: "class Fixture { constructor(db) { db.exec('CREATE TABLE cards (id INTEGER)'); } }", filename: 'src/cards.spec.ts' },
    "describe('store', () => {\n  class Fixture { constructor(db) { db.exec('CREATE TABLE cards (id INTEGER)'); } }\n});",
    "class Store { constructor(db) { if (process.env.NODE_ENV === 'test') db.exec('CREATE TABLE cards (id INTEGER)'); } }",
    // an event handler runs later, on someone else's schedule
    "class Store {\n  constructor(app) { app.on('ready', () => this.init()); }\n  init() { this.db.exec('CREATE TABLE cards (id INTEGER)'); }\n}",
    "class Store {\n  constructor(el) { el.addEventListener('click', () => { this.db.exec('CREATE TABLE cards (id INTEGER)'); }); }\n}",
    // a function stored for later is not a call
    "class Store { constructor(db) { this.migrate = () => db.exec('CREATE TABLE cards (id INTEGER)'); } }",
    // words in a log message, an error message, a comment
    "class Store { constructor(logger) { logger.info('CREATE TABLE cards runs in init(), not here'); } }",
    "class Store { constructor(db) { if (!db) throw new Error('call runMigrations() before new Store()'); } }",
    "class Store {\n  constructor(db) {\n    // db.exec('CREATE TABLE cards (id INTEGER)');\n    this.db = db;\n  }\n}",
    // reads and writes are not schema creation
    "class Store { constructor(db) { this.byId = db.prepare('SELECT * FROM cards WHERE id = ?'); } }",
    "class Store { constructor(db) { db.exec('PRAGMA foreign_keys = ON'); } }",
    // `.sync()` of file-system libraries, `up()` that is not Umzug
    "class Loader { constructor() { this.files = glob.sync('migrations/*.sql'); this.dirs = fg.sync(['db/**']); } }",
    "class Counter { constructor(counter) { counter.up(); } }",
    "class Replica { constructor(peer, store) { peer.sync(); this.store.sync({ full: true }); } }",
    // schema creation outside any constructor
    "function start(db) { db.exec('CREATE TABLE IF NOT EXISTS cards (id INTEGER)'); }",
    "class Store { static { } init() { return knex.migrate.latest(); } }",
    // mutual recursion without any schema creation terminates
    'class Loop {\n  constructor() { this.a(); }\n  a() { this.b(); }\n  b() { this.a(); }\n}',
  ],
  invalid: [
    {
      // INCIDENTS.md §3: `__init__` → `self._initialize_schema()`
      code: "class CardStore {\n  constructor(db) {\n    this.db = db;\n    this.initializeSchema();\n  }\n  initializeSchema() {\n    this.db.exec('CREATE TABLE IF NOT EXISTS cards (id INTEGER PRIMARY KEY)');\n  }\n}",
      errors: [
        {
          messageId: 'schemaInConstructor',
          data: { className: 'CardStore', path: 'constructor → initializeSchema → db.exec', effect: 'runs CREATE TABLE cards' },
          line: 4,
          column: 5,
          endLine: 4,
          endColumn: 28,
        },
      ],
    },
    {
      code: "class Store {\n  constructor(db) { this.#createTables(db); }\n  #createTables(db) { db.exec('CREATE TABLE a (id INTEGER); CREATE INDEX a_id ON a (id)'); }\n}",
      errors: [{ messageId: 'schemaInConstructor', data: { className: 'Store', path: 'constructor → #createTables → db.exec', effect: 'runs CREATE TABLE a and 1 more' }, line: 2, column: 21, endColumn: 43 }],
    },
    {
      // arrow-function class property and a same-file function, transitively
      code: "const SCHEMA = 'CREATE TABLE cards (id INTEGER)';\nfunction applySchema(db) { db.exec(SCHEMA); }\nconst prepare = (db) => applySchema(db);\nclass Store {\n  constructor(db) { this.setup(db); }\n  private setup = (db) => prepare(db);\n}",
      errors: [{ messageId: 'schemaInConstructor', data: { className: 'Store', path: 'constructor → setup → prepare → applySchema → db.exec', effect: 'runs CREATE TABLE cards' }, line: 5, column: 21, endColumn: 35 }],
    },
    {
      code: "class Store {\n  constructor(db) { this.db = db; this.ready = this.connect().then(() => this.migrate()); }\n  connect() { return this.db.connect(); }\n  migrate() { return this.dataSource.runMigrations(); }\n}",
      errors: [{ messageId: 'schemaInConstructor', data: { className: 'Store', path: 'constructor → migrate → dataSource.runMigrations', effect: 'runs pending migrations' }, line: 2, column: 74, endColumn: 88 }],
    },
    {
      code: 'class Store {\n  constructor() {\n    (async () => {\n      await this.dataSource.synchronize();\n    })();\n  }\n}',
      errors: [{ messageId: 'schemaInConstructor', data: { className: 'Store', path: 'constructor → dataSource.synchronize', effect: 'creates the schema from the entities' }, line: 4, column: 13, endColumn: 42 }],
    },
    {
      code: 'class Models {\n  constructor(sequelize) {\n    sequelize.sync();\n  }\n}',
      errors: [{ messageId: 'schemaInConstructor', data: { className: 'Models', path: 'constructor → sequelize.sync', effect: 'creates every missing table' }, line: 3, column: 5, endColumn: 21 }],
    },
    {
      code: "import { readFileSync } from 'node:fs';\nclass Db {\n  constructor(db) {\n    db.exec(readFileSync('./schema.sql', 'utf8'));\n  }\n}",
      errors: [{ messageId: 'schemaInConstructor', data: { className: 'Db', path: 'constructor → db.exec', effect: 'runs the schema file ./schema.sql' }, line: 4, column: 5, endColumn: 50 }],
    },
    {
      // a cycle on the way is walked once
      code: "class Store {\n  constructor() { this.a(); }\n  a() { this.b(); }\n  b() { this.a(); this.db.exec('CREATE TABLE t (id INTEGER)'); }\n}",
      errors: [{ messageId: 'schemaInConstructor', data: { className: 'Store', path: 'constructor → a → b → db.exec', effect: 'runs CREATE TABLE t' }, line: 2, column: 19, endColumn: 27 }],
    },
    {
      // field initializers run during construction too
      code: 'class Store {\n  ready = this.init();\n  init() { return knex.migrate.latest(); }\n}',
      errors: [{ messageId: 'schemaInConstructor', data: { className: 'Store', path: 'constructor → init → knex.migrate.latest', effect: 'runs pending migrations' }, line: 2, column: 11, endColumn: 22 }],
    },
    {
      // once per call site in the constructor, not once per statement reached
      code: "class Store {\n  constructor() {\n    this.init();\n    this.init();\n  }\n  init() {\n    this.db.exec('CREATE TABLE a (id INTEGER)');\n    this.db.exec('CREATE TABLE b (id INTEGER)');\n  }\n}",
      errors: [
        { messageId: 'schemaInConstructor', line: 3, column: 5, endColumn: 16 },
        { messageId: 'schemaInConstructor', line: 4, column: 5, endColumn: 16 },
      ],
    },
    {
      code: 'class Migrations {\n  constructor(umzug, migrator) {\n    umzug.up();\n    migrator.migrateToLatest();\n  }\n}',
      errors: [
        { messageId: 'schemaInConstructor', data: { className: 'Migrations', path: 'constructor → umzug.up', effect: 'runs pending migrations' }, line: 3, column: 5 },
        { messageId: 'schemaInConstructor', data: { className: 'Migrations', path: 'constructor → migrator.migrateToLatest', effect: 'runs pending migrations' }, line: 4, column: 5 },
      ],
    },
    {
      // an inherited method of a same-file base class; `new Base()` elsewhere is reported in Base itself
      code: "class Base {\n  createSchema() { return this.knex.schema.createTable('cards', () => {}); }\n}\nclass Store extends Base {\n  constructor() { super(); this.createSchema(); }\n}\nclass App {\n  constructor() { this.store = new Store(); }\n}",
      errors: [{ messageId: 'schemaInConstructor', data: { className: 'Store', path: 'constructor → createSchema → knex.schema.createTable', effect: 'creates table cards' }, line: 5, column: 28, endColumn: 47 }],
    },
    {
      // a function declared inside the constructor, and `super.method()`
      code: "class Base {\n  prepare() { this.db.exec('CREATE INDEX cards_title ON cards (title)'); }\n}\nclass Store extends Base {\n  constructor() {\n    super();\n    const setup = () => super.prepare();\n    setup();\n  }\n}",
      errors: [{ messageId: 'schemaInConstructor', data: { className: 'Store', path: 'constructor → setup → prepare → db.exec', effect: 'runs CREATE INDEX cards_title' }, line: 8, column: 5, endLine: 8, endColumn: 12 }],
    },
    {
      code: "class Store {\n  constructor(db) {\n    ['a', 'b'].forEach((t) => db.exec(`CREATE TABLE ${t} (id INTEGER)`));\n  }\n}",
      errors: [{ messageId: 'schemaInConstructor', data: { className: 'Store', path: 'constructor → db.exec', effect: 'runs CREATE TABLE' }, line: 3, column: 31, endColumn: 72 }],
    },
    {
      code: "export default class {\n  constructor(sql) {\n    sql`CREATE TABLE IF NOT EXISTS cards (id serial primary key)`;\n  }\n}",
      errors: [{ messageId: 'schemaInConstructor', data: { className: '(anonymous class)', path: 'constructor → sql', effect: 'runs CREATE TABLE cards' }, line: 3, column: 5 }],
    },
  ],
});
