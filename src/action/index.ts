import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTreeSitterWasmDirectory } from '../core/python/parser.js';
import { run } from './main.js';

// The bundle has no node_modules: `npm run build:action` copies the tree-sitter wasm files next to it.
setTreeSitterWasmDirectory(dirname(fileURLToPath(import.meta.url)));
await run();
