import { describe, expect, it } from 'vitest';
import { createTsInput } from '../../src/core/ts-input.js';
import { summarizeSchemaCreation } from '../../src/core/ts-helpers/schema-creation.js';
import { calledImportSpecifiers } from '../support/called-imports.js';

/** The relative modules a schema summary of `text` follows a call into: what the text gate must never miss. */
function followedBySummary(text: string): string[] {
  const summary = summarizeSchemaCreation(createTsInput('src/a.ts', text, 'application').sourceFile, 'application');
  return [...new Set(summary.functions.flatMap((f) => f.importedCalls.filter((c) => c.via === 'call' && c.module.startsWith('.')).map((c) => c.module)))].sort();
}

const CASES: { name: string; text: string; called: string[] }[] = [
  { name: 'a named import called', text: "import { createTables } from './schema';\nexport class Store { constructor() { createTables(); } }\n", called: ['./schema'] },
  { name: 'a renamed import called with type arguments', text: "import { run as go } from './run';\nexport function f() { return go<number>(1); }\n", called: ['./run'] },
  { name: 'a default import called optionally', text: "import setup from './setup';\nexport function f() { setup?.(); }\n", called: ['./setup'] },
  { name: 'a namespace member called', text: "import * as db from './db';\nexport class S { constructor() { db.migrate(); } }\n", called: ['./db'] },
  { name: 'a parenthesized, asserted callee', text: "import { init } from './init';\nexport class S { constructor() { (init as () => void)(); } }\n", called: ['./init'] },
  { name: 'a required namespace and a destructured require', text: "const db = require('./db');\nconst { seed: plant } = require('./seed');\nfunction f() { db.open(); plant(); }\n", called: ['./db', './seed'] },
  { name: 'type arguments with braces in them', text: "import { upsertRow } from './upsert';\nexport async function f<T>() { return upsertRow<{ globalType: string } & T>({}); }\n", called: ['./upsert'] },
  { name: 'a call spread into an object', text: "import { removeUndefined } from './clean';\nexport const g = (v: object) => ({ ...removeUndefined(v) });\n", called: ['./clean'] },
  { name: 'later declarators of a require statement', text: "var os = require('os'),\n    hash = require('./hash');\nfunction f(p) { return hash.createLMHash(p); }\n", called: ['./hash'] },
  {
    name: 'a long destructured require',
    text: `const {\n${Array.from({ length: 40 }, (_, i) => `  helperNumber${i},`).join('\n')}\n  ping,\n} = require('../util-server');\nasync function f() { await ping(); }\n`,
    called: ['../util-server'],
  },
  { name: 'an import after an export with no semicolon', text: "export type { FindOptions }\nimport {\n  findByIDLocal,\n  type Options,\n} from './findByID.js'\nexport const f = () => findByIDLocal<string>(1)\n", called: ['./findByID.js'] },
  { name: 'types only: annotations, generics, implements', text: "import { Entity, Repo } from './model';\nimport type { Options } from './options';\nexport class S implements Repo { constructor(private e: Entity, o: Options) {} list(): Array<Entity> { return []; } }\n", called: [] },
  { name: '`new` and static calls on a named import are not followed', text: "import { DataSource } from './data-source';\nimport { Utils } from './utils';\nexport class S { ds = new DataSource(); constructor() { Utils.assign(this, {}); } }\n", called: [] },
  { name: 'packages are never followed', text: "import { createTables } from 'my-orm';\nexport class S { constructor() { createTables(); } }\n", called: [] },
  { name: 'a member of something else with the same name', text: "import { sync } from './sync';\nimport type { Db } from './db';\nexport class S { constructor(private db: Db) { this.db.sync(); } }\n", called: [] },
];

describe('callsImportFrom: the calls a schema summary follows into another file, read from text', () => {
  for (const { name, text, called } of CASES) {
    it(name, () => {
      expect([...calledImportSpecifiers(text)].sort()).toEqual(called);
      // Never narrower than what the summary follows (it may be wider: it reads text, not scopes).
      expect(followedBySummary(text).filter((m) => !called.includes(m))).toEqual([]);
    });
  }
});
