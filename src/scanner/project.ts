import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { Project } from 'ts-morph';
import { rules } from '../../rules/index.js';
import { isTestRole } from '../core/file-role.js';
import { summarizeSchemaCreation, type FileSchemaSummary, type FunctionSummary } from '../core/ts-helpers/schema-creation.js';
import type { PythonTree } from '../core/python/parser.js';
import { summarizePythonSchemaCreation } from '../core/python/schema-creation.js';
import type { AnyRuleModule, ProjectFileFacts, ProjectFinding, ProjectInput } from '../core/types.js';
import { applyLevel, type RuleSettings } from './analyze-file.js';

const TS_SUFFIXES = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '/index.ts', '/index.tsx', '/index.js', '/index.mjs'];

/**
 * Resolves relative JS/TS imports (`./db.js` → `db.ts`, as TypeScript's ESM output expects) and
 * Python module paths (`app.database`, `.database`) to project files. Packages resolve to nothing.
 */
export function createImportResolver(paths: ReadonlySet<string>): ProjectInput['resolveImport'] {
  const pythonRoots = new Set(['']);
  for (const path of paths) {
    if (!path.endsWith('.py')) continue;
    // `src/app/main.py` may import `app.main`: every folder holding a top-level package is a root.
    const m = /^(.*?\/)?(?:src|app|backend|server|api)\//.exec(path);
    if (m) pythonRoots.add(m[1] ?? '').add(`${m[1] ?? ''}${path.slice((m[1] ?? '').length).split('/')[0]}/`);
  }
  // Every import is resolved several times (reachability, entry points, detectors). Answers are
  // kept per importing file: its path and specifier strings are the same objects at every call,
  // so the two lookups hash nothing new.
  const known = new Map<string, Map<string, string | undefined>>();
  const resolve = (from: string, specifier: string): string | undefined => {
    if (!specifier.startsWith('.') && !from.endsWith('.py')) return undefined;
    let own = known.get(from);
    if (own === undefined) known.set(from, (own = new Map()));
    else if (own.has(specifier)) return own.get(specifier);
    const found = resolveUncached(from, specifier);
    own.set(specifier, found);
    return found;
  };
  const resolveUncached = (from: string, specifier: string): string | undefined => {
    if (from.endsWith('.py')) {
      const leading = /^\.+/.exec(specifier)?.[0].length ?? 0;
      const modulePath = specifier.slice(leading).split('.').filter(Boolean).join('/');
      const bases = leading > 0 ? [posix.join(posix.dirname(from), ...Array(leading - 1).fill('..'))] : [...pythonRoots].map((r) => r.replace(/\/$/, ''));
      for (const base of bases) {
        for (const candidate of [`${modulePath}.py`, `${modulePath}/__init__.py`]) {
          const path = posix.normalize(posix.join(base || '.', candidate));
          if (paths.has(path)) return path;
        }
      }
      return undefined;
    }
    if (!specifier.startsWith('.')) return undefined;
    const base = joinRelative(from, specifier);
    const withoutJs = base.replace(/\.(?:[cm]?js|jsx)$/, '');
    for (const stem of base === withoutJs ? [base] : [withoutJs, base]) {
      for (const suffix of TS_SUFFIXES) if (paths.has(stem + suffix)) return stem + suffix;
    }
    return undefined;
  };
  return resolve;
}

/** A path with an empty, `.` or `..` segment, or a trailing slash: left to `posix.normalize`. */
const IRREGULAR_PATH = /(?:^|\/)\.{0,2}(?:\/|$)/;

/**
 * `posix.normalize(posix.join(posix.dirname(from), specifier))` for a relative specifier and a
 * normalized `from`. A repository has tens of thousands of imports, nearly all `./x` or `../../x`:
 * those are walked up `from` directly, anything else goes the general way.
 */
export function joinRelative(from: string, specifier: string): string {
  if (from.startsWith('/')) return posix.normalize(posix.join(posix.dirname(from), specifier));
  let end = from.lastIndexOf('/');
  let i = 0;
  for (;;) {
    if (specifier.startsWith('./', i)) i += 2;
    else if (specifier.startsWith('../', i) && end !== -1) {
      end = from.lastIndexOf('/', end - 1);
      i += 3;
    } else break;
  }
  const rest = specifier.slice(i);
  if (rest.startsWith('../') || IRREGULAR_PATH.test(rest)) return posix.normalize(posix.join(posix.dirname(from), specifier));
  return from.slice(0, end + 1) + rest;
}

/**
 * A constructor may reach schema creation through files the prefilter never parsed (a helper with
 * no database words that calls one that has them). Those files are loaded here, on demand, into a
 * ts-morph project that holds only them: the rest of the repository is never parsed twice. Only the
 * functions a constructor actually reaches are followed, and only into files that create schema or
 * import one that does, so a barrel that re-exports half the repository costs nothing.
 */
export function loadMissingSchemaSummaries(
  files: Map<string, ProjectFileFacts>,
  root: string,
  resolve: ProjectInput['resolveImport'],
  parsePython: ((text: string) => PythonTree) | undefined,
  /** From `filesReachingSchemaByCalls`: files outside it are never loaded. */
  mayReachSchema: ReadonlySet<string>,
): number {
  let project: Project | undefined;
  const attempted = new Set<string>();
  let loaded = 0;
  const load = (facts: ProjectFileFacts): void => {
    attempted.add(facts.path);
    const loadable = facts.kind === 'typescript' || (facts.kind === 'python' && parsePython !== undefined);
    if (!loadable || !mayReachSchema.has(facts.path) || !existsSync(join(root, facts.path))) return;
    let schema: FileSchemaSummary;
    if (facts.kind === 'python') {
      const text = readFileSync(join(root, facts.path), 'utf8');
      const tree = parsePython!(text);
      try {
        schema = summarizePythonSchemaCreation({ tree, text, role: facts.role });
      } finally {
        tree.delete();
      }
    } else {
      project ??= new Project({ skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true, compilerOptions: { allowJs: true } });
      const sourceFile = project.addSourceFileAtPath(join(root, facts.path));
      schema = summarizeSchemaCreation(sourceFile.compilerNode, facts.role);
      // Done with its AST: keep only the summary.
      project.removeSourceFile(sourceFile);
    }
    loaded++;
    if (schema.functions.some((f) => f.sites.length > 0 || f.importedCalls.length > 0)) facts.schema = schema;
  };

  const visited = new Set<string>();
  const queue: [ProjectFileFacts, FunctionSummary][] = [];
  const visit = (file: ProjectFileFacts, fn: FunctionSummary) => {
    const key = `${file.path}#${fn.id}`;
    if (visited.has(key)) return;
    visited.add(key);
    queue.push([file, fn]);
  };
  for (const file of files.values()) {
    if (!file.schema || isTestRole(file.role)) continue;
    for (const fn of file.schema.functions) if (fn.kind === 'constructor') visit(file, fn);
  }
  while (queue.length > 0) {
    const [file, fn] = queue.pop()!;
    for (const edge of fn.calls) {
      if (edge.via !== 'call') continue;
      const target = edge.target;
      if (target.kind === 'local') {
        const local = file.schema?.functions.find((f) => f.id === target.id);
        if (local) visit(file, local);
        continue;
      }
      const path = resolve(file.path, target.module);
      const facts = path === undefined ? undefined : files.get(path);
      if (!facts || isTestRole(facts.role)) continue;
      if ((!facts.schema || facts.schema.constructionOnly) && !attempted.has(facts.path)) load(facts);
      for (const f of facts.schema?.functions ?? []) if (f.kind !== 'constructor' && f.exportedAs.includes(target.name)) visit(facts, f);
    }
  }
  return loaded;
}

/**
 * The files whose text may create schema (`mentionsSchemaCreation`) and every file that reaches one
 * at the grain a schema summary follows: the only files a constructor's path to schema creation can
 * pass through. A JS/TS file reaches a module only if it calls a function imported from it
 * (`callsInto`, see `callsImportFrom`), a Python file through any import. In an ORM nearly every file imports one that creates schema, but few call
 * one: typeorm has 2,988 files of the first kind and 78 of the second. Calls are only looked for
 * along imports of files already known to reach, so most files are never searched.
 */
export function filesReachingSchemaByCalls(
  files: Iterable<Pick<ProjectFileFacts, 'path' | 'imports' | 'mentionsSchemaCreation'> & { kind: string }>,
  resolve: ProjectInput['resolveImport'],
  callsInto: (path: string, specifier: string) => boolean,
): Set<string> {
  const importers = new Map<string, { path: string; specifier: string; typescript: boolean }[]>();
  const found = new Set<string>();
  for (const file of files) {
    if (file.mentionsSchemaCreation) found.add(file.path);
    for (const { specifier } of file.imports ?? []) {
      const target = resolve(file.path, specifier);
      if (target !== undefined) (importers.get(target) ?? importers.set(target, []).get(target)!).push({ path: file.path, specifier, typescript: file.kind === 'typescript' });
    }
  }
  const queue = [...found];
  while (queue.length > 0) {
    for (const importer of importers.get(queue.pop()!) ?? []) {
      if (found.has(importer.path) || (importer.typescript && !callsInto(importer.path, importer.specifier))) continue;
      found.add(importer.path);
      queue.push(importer.path);
    }
  }
  return found;
}

export function runProjectDetectors(input: ProjectInput, settings: RuleSettings): ProjectFinding[] {
  const findings: ProjectFinding[] = [];
  for (const rule of Object.values(rules as Record<string, AnyRuleModule>)) {
    const setting = settings.get(rule.meta.id);
    if (!rule.detect.project || !setting || setting.level === 'off') continue;
    const found = rule.detect.project(input, setting.options);
    findings.push(...applyLevel(found, setting));
  }
  return findings;
}

const OPERATOR_SCRIPT_NAME = /(?:^|\/)(?:scripts?|bin|tools?)\/|(?:reset|seed|clean|truncate|drop|wipe|prepare|restore|fixture)[^/]*$/i;

const ENTRY_NAME = /(?:^|\/)(?:index|main|server|app|worker|cli|bootstrap|start|entry|handler|lambda|wsgi|asgi|manage)\.[cm]?[jt]sx?$|(?:^|\/)(?:main|app|server|wsgi|asgi|manage|__main__)\.py$/;

/**
 * Code that only runs on purpose, never on its own in production: modules that only tests import
 * (a `src/test-utils.ts`), and files only developer scripts run (`"db:reset": "node scripts/reset.js"`)
 * with what only they import. It is test or development context wherever it sits, as long as no
 * production entry point (package.json `main`, a start script, a Dockerfile `CMD`) reaches it. Without
 * a known entry point nothing is reclassified: an unrecognised entry would otherwise silence the code
 * that actually runs.
 */
export function findNonProductionModules(
  files: ReadonlyMap<string, ProjectFileFacts>,
  resolve: ProjectInput['resolveImport'],
  entries: ReadonlySet<string>,
  operatorScripts: ReadonlySet<string> = new Set(),
): Set<string> {
  const found = new Set<string>();
  const importers = new Map<string, string[]>();
  const imports = new Map<string, string[]>();
  for (const file of files.values()) {
    for (const imported of file.imports ?? []) {
      const target = resolve(file.path, imported.specifier);
      if (target === undefined || target === file.path) continue;
      (importers.get(target) ?? importers.set(target, []).get(target)!).push(file.path);
      (imports.get(file.path) ?? imports.set(file.path, []).get(file.path)!).push(target);
    }
  }
  const reachable = new Set<string>();
  const queue = [...entries, ...[...files.keys()].filter((p) => ENTRY_NAME.test(p) && files.get(p)?.role === 'application' && !operatorScripts.has(p))];
  while (queue.length > 0) {
    const path = queue.pop()!;
    if (reachable.has(path)) continue;
    reachable.add(path);
    queue.push(...(imports.get(path) ?? []));
  }
  for (const script of operatorScripts) {
    if (reachable.has(script) || files.get(script)?.role !== 'application') continue;
    // Without a known entry, a developer's command may name the application itself (`"dev": "tsx
    // server/index.ts"`) or a module it imports through an alias this view cannot resolve (`typeorm
    // -d server/datasource.ts`): only a script nothing imports, that sits with scripts or says what
    // it does to the database (`scripts/prepareTestDb.ts`, `db/reset.ts`), is then the operator's own.
    // A management command or CLI module is the operator's by what it is, whoever else imports it (its tests do).
    const importedByApplication = () => (importers.get(script) ?? []).some((path) => !isTestRole(files.get(path)?.role ?? 'application'));
    if (entries.size === 0 && !OPERATOR_MODULE.test(script) && (ENTRY_NAME.test(script) || !OPERATOR_SCRIPT_NAME.test(script) || importedByApplication())) continue;
    found.add(script);
  }
  // What only tests and operator scripts import needs one: else an unrecognised entry would silence the code that runs.
  if (entries.size === 0) return found;
  const isNonProduction = (path: string) => found.has(path) || isTestRole(files.get(path)?.role ?? 'application');
  // A module imported only by non-production code is non-production too. Each module is checked
  // once, and again only when one of its importers has just become non-production.
  const pending = [...importers.keys()];
  while (pending.length > 0) {
    const target = pending.pop()!;
    const facts = files.get(target);
    if (!facts || facts.role !== 'application' || reachable.has(target) || found.has(target)) continue;
    if (importers.get(target)!.every(isNonProduction)) {
      found.add(target);
      pending.push(...(imports.get(target) ?? []));
    }
  }
  return found;
}

/**
 * Seed files nothing starts: no start or deploy command seeds (`prisma db seed`, `knex seed:run`,
 * `node seed.js` in `start`, a Dockerfile `CMD` or an entrypoint), and no application module imports
 * them. A developer runs them by name (`npm run db:seed`), like any operator script: what they write
 * twice or wipe is theirs to decide. A seed that start-up runs, or application code imports, keeps
 * its findings.
 */
export function findOperatorSeeds(files: ReadonlyMap<string, ProjectFileFacts>, resolve: ProjectInput['resolveImport'], startCommands: readonly LocatedCommand[]): Set<string> {
  const found = new Set<string>();
  if (startCommands.some((command) => /seed/i.test(command.text))) return found;
  const importedByApplication = new Set<string>();
  for (const file of files.values()) {
    if (file.role !== 'application') continue;
    for (const { specifier } of file.imports ?? []) {
      const target = resolve(file.path, specifier);
      if (target !== undefined) importedByApplication.add(target);
    }
  }
  for (const file of files.values()) if (file.role === 'seed' && !importedByApplication.has(file.path)) found.add(file.path);
  return found;
}

/**
 * Modules an operator runs by name, by convention: Django management commands, and CLI modules
 * (`cli.py`, `cli/`) a command-line entry dispatches to. Still production when a start path reaches them.
 */
export const OPERATOR_MODULE = /(?:^|\/)management\/commands\/[^/]+\.py$|(?:^|\/)cli(?:\.py$|\/[^/]+\.py$)/;

/** A command and the folder of the file that holds it (a workspace's `package.json` runs its scripts there). */
export interface LocatedCommand {
  text: string;
  dir: string;
  /** What runs it, for messages: `package.json "start" script`, `Dockerfile CMD`. */
  via?: string;
}

/**
 * Files that start the application: package.json `main`/`bin`/start scripts, Dockerfile and Procfile
 * commands. `origins`, when given, receives what starts each (`package.json "start" script`).
 */
export function findEntryPoints(commands: readonly LocatedCommand[], packageMains: readonly string[], paths: ReadonlySet<string>, origins?: Map<string, string>): Set<string> {
  const entries = new Set<string>();
  const add = (candidate: string, dir: string, origin: string) => {
    const clean = candidate.replace(/^\.\//, '');
    const bases = dir === '' || dir === '.' ? [clean] : [clean, posix.normalize(posix.join(dir, clean))];
    for (const base of bases) {
      const variants = [base, base.replace(/(^|\/)(?:dist|build|lib|out)\//, '$1src/').replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.ts')];
      for (const v of variants) {
        if (!paths.has(v)) continue;
        entries.add(v);
        if (origins && !origins.has(v)) origins.set(v, origin);
      }
    }
  };
  for (const main of packageMains) add(main, '', 'package.json "main"');
  for (const command of commands) for (const m of command.text.matchAll(/(?:^|\s)((?:\.\/)?[\w./-]+\.(?:[cm]?[jt]sx?|py))\b/g)) add(m[1]!, command.dir, command.via ?? `\`${command.text}\``);
  return entries;
}

/**
 * For each file a start path reaches through imports, that path as messages name it:
 * `package.json "start" script → src/server.ts → src/db.ts`. Shortest first (breadth-first).
 */
export function startPaths(files: ReadonlyMap<string, ProjectFileFacts>, resolve: ProjectInput['resolveImport'], origins: ReadonlyMap<string, string>): Map<string, string> {
  const parent = new Map<string, string | undefined>();
  const queue: string[] = [];
  for (const entry of origins.keys()) {
    if (!files.has(entry) || parent.has(entry)) continue;
    parent.set(entry, undefined);
    queue.push(entry);
  }
  for (let i = 0; i < queue.length; i++) {
    const path = queue[i]!;
    for (const { specifier } of files.get(path)?.imports ?? []) {
      const target = resolve(path, specifier);
      if (target === undefined || parent.has(target) || !files.has(target) || isTestRole(files.get(target)!.role)) continue;
      parent.set(target, path);
      queue.push(target);
    }
  }
  const shown = new Map<string, string>();
  for (const path of parent.keys()) {
    const chain: string[] = [];
    for (let at: string | undefined = path; at !== undefined; at = parent.get(at)) chain.unshift(at);
    const hops = chain.length > 4 ? [chain[0]!, '…', ...chain.slice(-2)] : chain;
    shown.set(path, [origins.get(chain[0]!)!, ...hops].join(' → '));
  }
  return shown;
}
