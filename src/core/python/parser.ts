import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import treeSitter from '@vscode/tree-sitter-wasm';
import type { Language as TsLanguage, Node, Parser as TsParser, Tree } from '@vscode/tree-sitter-wasm';

export type PythonTree = Tree;
export type PythonNode = Node;

const require = createRequire(import.meta.url);

let parserPromise: Promise<TsParser> | undefined;
let wasmDirectory: string | undefined;

/**
 * Where `tree-sitter.wasm` and `tree-sitter-python.wasm` are read from: the installed
 * `@vscode/tree-sitter-wasm` unless set. A bundle that has no node_modules (the GitHub Action's
 * `dist/`) ships the two files next to itself and points here before the first parse.
 */
export function setTreeSitterWasmDirectory(directory: string | undefined): void {
  wasmDirectory = directory;
}

/**
 * Python is parsed by tree-sitter's Python grammar compiled to WebAssembly: no native build, no
 * download at run time. Loading the runtime and grammar costs ~20 ms once per process.
 */
export function loadPythonParser(): Promise<TsParser> {
  parserPromise ??= (async () => {
    const dir = wasmDirectory ?? dirname(require.resolve('@vscode/tree-sitter-wasm'));
    await treeSitter.Parser.init({ locateFile: (file: string) => join(dir, file) });
    const language: TsLanguage = await treeSitter.Language.load(join(dir, 'tree-sitter-python.wasm'));
    const parser = new treeSitter.Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return parserPromise;
}

export function parsePython(parser: TsParser, text: string): Tree {
  const tree = parser.parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}
