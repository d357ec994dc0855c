import { afterAll, describe, expect, it } from 'vitest';
import { calleeName, calleeText, describePy, keywordArgument, operatorOf, positionalArguments, receiverName, subtree, textOf } from '../../src/core/python/syntax.js';
import { getPyModule } from '../../src/core/python/syntax.js';
import { deletePythonTrees, findNode, pythonInput, pythonModule } from './python-helpers.js';

afterAll(deletePythonTrees);

describe('the Python syntax mirror', () => {
  it('reports UTF-16 offsets into the JavaScript string, after accented letters, a BMP symbol and an astral emoji', async () => {
    const text = '# café ☕ 😀\nx = "é😀"\nBase.metadata.drop_all(bind=engine)\n';
    const module = await pythonModule(text);
    const call = findNode(module, 'call');
    expect(call.start).toBe(text.indexOf('Base.metadata'));
    expect(textOf(module, call)).toBe('Base.metadata.drop_all(bind=engine)');
    const string = findNode(module, 'string');
    expect(textOf(module, string)).toBe('"é😀"');
  });

  it('leaves comments and anonymous tokens out, keeping named nodes in document order with subtree bounds', async () => {
    const module = await pythonModule('# Base.metadata.drop_all(bind=engine)\nif a == "test":\n    run()  # trailing\n');
    expect(module.nodes.some((n) => n.type === 'comment')).toBe(false);
    expect(module.nodes.filter((n) => n.type === 'call')).toHaveLength(1);
    const statement = findNode(module, 'if_statement');
    expect(subtree(module, statement).map((n) => n.type)).toEqual(['if_statement', 'comparison_operator', 'identifier', 'string', 'string_start', 'string_content', 'string_end', 'block', 'expression_statement', 'call', 'identifier', 'argument_list']);
    expect(operatorOf(module, findNode(module, 'comparison_operator'))).toBe('==');
  });

  it('builds the mirror once per tree and shares it', async () => {
    const input = await pythonInput('x = 1\n');
    expect(getPyModule(input)).toBe(getPyModule(input));
  });

  it('names callees, receivers and arguments', async () => {
    const module = await pythonModule('self.conn.executescript(SCHEMA, timeout=3)\napp.config["DATABASE_URL"]\nsession.query(User).delete()\n');
    const call = findNode(module, 'call', 'self.conn.executescript(SCHEMA, timeout=3)');
    expect(calleeName(module, call)).toBe('executescript');
    expect(calleeText(module, call)).toBe('conn.executescript');
    expect(receiverName(module, call)).toBe('conn');
    expect(positionalArguments(call).map((a) => textOf(module, a))).toEqual(['SCHEMA']);
    expect(textOf(module, keywordArgument(module, call, 'timeout')!)).toBe('3');
    expect(describePy(module, findNode(module, 'subscript'))).toBe('app.config.DATABASE_URL');
    expect(receiverName(module, findNode(module, 'call', 'session.query(User).delete()'))).toBe('query');
  });
});
