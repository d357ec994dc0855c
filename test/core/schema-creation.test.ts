import { describe, expect, it } from 'vitest';
import { createTsInput } from '../../src/core/ts-input.js';
import {
  createFileSchemaGraph,
  findSchemaPath,
  summarizeSchemaCreation,
  type FileSchemaSummary,
  type SchemaGraph,
} from '../../src/core/ts-helpers/schema-creation.js';

function summarize(path: string, text: string, role: 'application' | 'test' = 'application'): FileSchemaSummary {
  return summarizeSchemaCreation(createTsInput(path, text, role).sourceFile, role);
}

const byId = (summary: FileSchemaSummary, id: string) => summary.functions.find((f) => f.id === id);

describe('summarizeSchemaCreation', () => {
  const store = summarize(
    'src/store.ts',
    [
      "import Database from 'better-sqlite3';",
      "import { initDb } from './schema';",
      "import * as migrations from './migrations';",
      "const SCHEMA = 'CREATE TABLE IF NOT EXISTS cards (id INTEGER PRIMARY KEY)';",
      'export function applySchema(db) { db.exec(SCHEMA); }',
      'const viaArrow = (db) => applySchema(db);',
      'export default class Store {',
      "  db = new Database('kanban.db');",
      '  constructor() { this.#prepare(); initDb(this.db); migrations.run(); }',
      '  #prepare() { viaArrow(this.db); }',
      "  read() { return this.db.prepare('SELECT 1').get(); }",
      '}',
      'export { viaArrow as prepareSchema };',
    ].join('\n'),
  );

  it('lists top-level functions, methods and constructors with their export names', () => {
    expect(store.functions.map((f) => [f.id, f.kind, f.exportedAs])).toEqual([
      ['applySchema', 'function', ['applySchema']],
      ['viaArrow', 'function', ['prepareSchema']],
      ['Store.constructor', 'constructor', ['default']],
      ['Store.#prepare', 'method', []],
      ['Store.read', 'method', []],
    ]);
  });

  it('records direct schema creation and the path through same-file calls', () => {
    expect(byId(store, 'applySchema')?.sites.map((s) => [s.api, s.effect])).toEqual([['db.exec', 'runs CREATE TABLE cards']]);
    expect(byId(store, 'viaArrow')?.createsSchema?.steps).toEqual(['applySchema', 'db.exec']);
    expect(byId(store, 'Store.constructor')?.createsSchema?.steps).toEqual(['#prepare', 'viaArrow', 'applySchema', 'db.exec']);
    expect(byId(store, 'Store.read')?.createsSchema).toBeUndefined();
  });

  it('records imported calls for a whole-repo analysis', () => {
    expect(byId(store, 'Store.constructor')?.importedCalls).toEqual([
      { module: 'better-sqlite3', name: 'default', via: 'new' },
      { module: './schema', name: 'initDb', via: 'call' },
      { module: './migrations', name: 'run', via: 'call' },
    ]);
  });

  it('leaves out test files and test-only branches', () => {
    const inTest = summarize('test/store.spec.ts', "function setup(db) { db.exec('CREATE TABLE t (id INTEGER)'); }", 'test');
    expect(inTest.functions[0]?.sites).toEqual([]);
    const guarded = summarize('src/a.ts', "function setup(db) { if (process.env.NODE_ENV === 'test') db.exec('CREATE TABLE t (id INTEGER)'); }");
    expect(guarded.functions[0]?.createsSchema).toBeUndefined();
  });
});

describe('findSchemaPath across files', () => {
  it('joins per-file summaries through a graph that resolves imports', () => {
    const files: Record<string, FileSchemaSummary> = {
      'src/store.ts': summarize('src/store.ts', "import { initDb } from './schema';\nexport class Store { constructor(db) { initDb(db); } }"),
      'src/schema.ts': summarize('src/schema.ts', "export function initDb(db) { createTables(db); }\nfunction createTables(db) { db.exec('CREATE TABLE users (id INTEGER)'); }"),
    };
    const graph: SchemaGraph = {
      get: (key) => {
        const [file, id] = key.split('#') as [string, string];
        return files[file]?.functions.find((f) => f.id === id);
      },
      resolve: (from, edge) => {
        const file = from.split('#')[0]!;
        if (edge.target.kind === 'local') return `${file}#${edge.target.id}`;
        const target = `src/${edge.target.module.replace('./', '')}.ts`;
        const name = edge.target.name;
        const fn = files[target]?.functions.find((f) => f.exportedAs.includes(name));
        return fn && `${target}#${fn.id}`;
      },
    };
    expect(findSchemaPath(graph, 'src/store.ts#Store.constructor')?.steps).toEqual(['initDb', 'createTables', 'db.exec']);
    // Per file, the import is a dead end.
    expect(findSchemaPath(createFileSchemaGraph(files['src/store.ts']!), 'Store.constructor')).toBeUndefined();
  });

  it('terminates on cycles and still finds a later path', () => {
    const summary = summarize('src/a.ts', "function a(db) { b(db); }\nfunction b(db) { a(db); c(db); }\nfunction c(db) { db.exec('CREATE INDEX i ON t (x)'); }\nfunction d() { d(); }");
    const graph = createFileSchemaGraph(summary);
    expect(findSchemaPath(graph, 'a')?.steps).toEqual(['b', 'c', 'db.exec']);
    expect(findSchemaPath(graph, 'd')).toBeUndefined();
  });
});
