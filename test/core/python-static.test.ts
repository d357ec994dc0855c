import { afterAll, describe, expect, it } from 'vitest';
import { SQL_HOLE } from '../../src/core/sql/lexer.js';
import { getPyStaticString, getPyStaticValue } from '../../src/core/python/static.js';
import { deletePythonTrees, findNode, pythonModule } from './python-helpers.js';
import type { PyModule } from '../../src/core/python/syntax.js';

afterAll(deletePythonTrees);

/** The static value of the right-hand side of the last `result = …` line. */
function valueOfResult(module: PyModule) {
  const assignments = module.nodes.filter((n) => n.type === 'assignment' && module.text.slice(n.start, n.start + 7) === 'result ');
  const last = assignments[assignments.length - 1]!;
  return getPyStaticValue(module, last.children[last.children.length - 1]!);
}

describe('getPyStaticValue', () => {
  it('decodes escapes, keeps raw strings raw and joins implicit concatenation', async () => {
    expect(valueOfResult(await pythonModule('result = "DROP TABLE a;\\nDROP TABLE \\"b\\""\n'))).toEqual({ kind: 'string', value: 'DROP TABLE a;\nDROP TABLE "b"', hasHoles: false });
    expect(valueOfResult(await pythonModule("result = r'C:\\data\\kanban.db'\n"))).toEqual({ kind: 'string', value: 'C:\\data\\kanban.db', hasHoles: false });
    expect(valueOfResult(await pythonModule('result = ("DELETE "\n    \'FROM cards\')\n'))).toEqual({ kind: 'string', value: 'DELETE FROM cards', hasHoles: false });
  });

  it('turns unknown f-string, %-format and .format() parts into holes, and fills known ones', async () => {
    expect(valueOfResult(await pythonModule('result = f"DROP TABLE {name}"\n'))).toEqual({ kind: 'string', value: `DROP TABLE ${SQL_HOLE}`, hasHoles: true });
    expect(valueOfResult(await pythonModule('TABLE = "cards"\nresult = f"DELETE FROM {TABLE} {{x}}"\n'))).toEqual({ kind: 'string', value: 'DELETE FROM cards {x}', hasHoles: false });
    expect(valueOfResult(await pythonModule('result = "DELETE FROM %s" % table\n'))).toEqual({ kind: 'string', value: `DELETE FROM ${SQL_HOLE}`, hasHoles: true });
    expect(valueOfResult(await pythonModule('result = "DROP TABLE {}".format(t)\n'))).toEqual({ kind: 'string', value: `DROP TABLE ${SQL_HOLE}`, hasHoles: true });
  });

  it('follows names bound once: module constants, single local assignments, class attributes through self', async () => {
    const module = await pythonModule(
      [
        'SCHEMA = textwrap.dedent("""CREATE TABLE t (id INT)""")',
        'class Store:',
        '    DDL = "CREATE TABLE s (id INT)"',
        '    def init(self):',
        '        sql = "DROP TABLE x"',
        '        self.conn.execute(sql)',
        '        self.conn.execute(self.DDL)',
        '        self.conn.execute(SCHEMA)',
        '',
      ].join('\n'),
    );
    const [sqlUse, ddlUse, schemaUse] = module.nodes.filter((n) => n.type === 'argument_list').slice(-3).map((list) => list.children[0]!);
    expect(getPyStaticString(module, sqlUse!)).toBe('DROP TABLE x');
    expect(getPyStaticString(module, ddlUse!)).toBe('CREATE TABLE s (id INT)');
    expect(getPyStaticString(module, schemaUse!)).toBe('CREATE TABLE t (id INT)');
  });

  it('does not guess names bound more than once, in loops or as parameters', async () => {
    const module = await pythonModule(['sql = "DROP TABLE a"', 'sql = "SELECT 1"', 'def f(q="DROP TABLE b"):', '    run(sql, q)', 'for t in tables:', '    run(t)', ''].join('\n'));
    const [sql, q] = findNode(module, 'argument_list', '(sql, q)').children;
    expect(getPyStaticValue(module, sql!)).toBeUndefined();
    expect(getPyStaticValue(module, q!)).toBeUndefined();
    expect(getPyStaticValue(module, findNode(module, 'argument_list', '(t)').children[0]!)).toBeUndefined();
  });
});
