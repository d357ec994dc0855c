import { loadPythonParser, parsePython, type PythonTree } from '../../src/core/python/parser.js';
import { getPyModule, textOf, type PyModule, type PyNode } from '../../src/core/python/syntax.js';
import type { FileRole, PythonInput } from '../../src/core/types.js';

const trees: PythonTree[] = [];

/** Parses `text` as the file `path`; the trees are deleted by `deletePythonTrees` after the suite. */
export async function pythonInput(text: string, path = 'app/example.py', role: FileRole = 'application'): Promise<PythonInput> {
  const tree = parsePython(await loadPythonParser(), text);
  trees.push(tree);
  return { path, text, role, tree };
}

export async function pythonModule(text: string): Promise<PyModule> {
  return getPyModule(await pythonInput(text));
}

export function deletePythonTrees(): void {
  for (const tree of trees.splice(0)) tree.delete();
}

/** The first node of `type` whose text is `text` (or any text when omitted). */
export function findNode(module: PyModule, type: string, text?: string): PyNode {
  const node = module.nodes.find((n) => n.type === type && (text === undefined || textOf(module, n) === text));
  if (!node) throw new Error(`no ${type} node ${text ?? ''}`);
  return node;
}
