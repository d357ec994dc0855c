import { afterAll, describe, expect, it } from 'vitest';
import { summarizePythonSchemaCreation } from '../../src/core/python/schema-creation.js';
import { deletePythonTrees, pythonInput } from './python-helpers.js';

afterAll(deletePythonTrees);

describe('summarizePythonSchemaCreation', () => {
  it('summarises constructors, methods and functions with their sites and edges', async () => {
    const code = [
      'from .schema import apply_schema',
      'import app.migrations as migrations',
      'class Store:',
      '    def __init__(self, path):',
      '        self.conn = sqlite3.connect(path)',
      '        self._initialize_schema()',
      '        apply_schema(self.conn)',
      '        migrations.run(self.conn)',
      '    def _initialize_schema(self):',
      '        self.conn.executescript(SCHEMA_SQL)',
      '    def add(self, card):',
      '        self.conn.execute("INSERT INTO cards VALUES (?)", (card,))',
      'class CachedStore(Store):',
      '    def __init__(self, path):',
      '        super().__init__(path)',
      'def init_db():',
      '    Base.metadata.create_all(bind=engine)',
      '    if settings.TESTING:',
      '        Base.metadata.create_all(bind=test_engine)',
      '',
    ].join('\n');
    const { functions } = summarizePythonSchemaCreation(await pythonInput(code));
    const byId = new Map(functions.map((f) => [f.id, f]));
    expect([...byId.keys()]).toEqual(['Store.__init__', 'Store._initialize_schema', 'Store.add', 'CachedStore.__init__', 'init_db']);
    const ctor = byId.get('Store.__init__')!;
    expect(ctor.kind).toBe('constructor');
    expect(ctor.exportedAs).toEqual(['Store']);
    expect(ctor.calls.map((c) => [c.name, c.target])).toEqual([
      ['_initialize_schema', { kind: 'local', id: 'Store._initialize_schema' }],
      ['apply_schema', { kind: 'imported', module: '.schema', name: 'apply_schema' }],
      ['migrations.run', { kind: 'imported', module: 'app.migrations', name: 'run' }],
    ]);
    expect(ctor.createsSchema?.steps).toEqual(['_initialize_schema', 'conn.executescript']);
    expect(byId.get('Store._initialize_schema')!.sites.map((s) => s.effect)).toEqual(['runs the schema script `SCHEMA_SQL`']);
    expect(byId.get('Store.add')!.sites).toEqual([]);
    expect(byId.get('CachedStore.__init__')!.createsSchema?.steps).toEqual(['super().__init__', '_initialize_schema', 'conn.executescript']);
    // The TESTING branch is left out: only one site.
    expect(byId.get('init_db')!.sites.map((s) => [s.api, s.effect])).toEqual([['Base.metadata.create_all', 'creates every missing table']]);
    expect(byId.get('init_db')!.exportedAs).toEqual(['init_db']);
  });
});
