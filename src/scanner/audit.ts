import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { rules } from '../../rules/index.js';
import { createRoleMatcher, isTestRole } from '../core/file-role.js';
import { fingerprintFileFindings } from '../core/fingerprint.js';
import { createLocator, stripBom } from '../core/location.js';
import { interpolate } from '../core/messages.js';
import { loadPythonParser, parsePython } from '../core/python/parser.js';
import type { ScriptCommand } from '../core/scripts/commands.js';
import type { AnyRuleModule, Finding, ProjectFileFacts, RuleId, ScriptInput } from '../core/types.js';
import { analyzePythonFile, analyzeScriptFile, analyzeSqlFile, analyzeTypescriptFile, applyLevel, gateTypescriptFile, migrationPhaseOf, suppress, type FileAnalysis, type TypescriptGate } from './analyze-file.js';
import { AnalysisCache } from './cache.js';
import type { ResolvedConfig } from './config.js';
import type { DiscoveredFile } from './discover.js';
import { UsageError } from './errors.js';
import { envFileSide, envLocationFacts, extractPythonTextFacts, type FileFacts } from './facts.js';
import { callsImportFrom, extractTextFacts, importBindingsOf, type ImportBinding } from './text-facts.js';
import { extractDockerfileCommands, referencedScripts } from './inputs/dockerfile.js';
import { parseEnvFile } from './inputs/env-file.js';
import { parsePytestEnv } from './inputs/pytest-config.js';
import { readPackageJson } from './inputs/package-json.js';
import { extractProcfileCommands } from './inputs/procfile.js';
import { extractShellCommands, isEntrypointScriptName } from './inputs/shell.js';
import { extractComposeFile, extractWorkflowCommands } from './inputs/yaml-commands.js';
import { createImportResolver, filesReachingSchemaByCalls, findEntryPoints, findNonProductionModules, findOperatorSeeds, loadMissingSchemaSummaries, OPERATOR_MODULE, runProjectDetectors, startPaths, type LocatedCommand } from './project.js';
import { classifySql } from '../core/sql/classify.js';
import { detectTypeormEnv } from '../../rules/no-auto-schema-sync/env.js';
import { detectOrmconfig } from '../../rules/no-auto-schema-sync/ormconfig.js';
import { keptAcrossMigrations } from '../core/sql/data-flow.js';
import { discoverAndRead, type ReadOutcome, type ReadRequest, type ReadSummary } from './read-files.js';
import type { ReadMessage } from './read-worker.js';
import type { AuditResult, Diagnostic, ReportedFinding } from './result.js';

export interface AuditOptions {
  /** Files or folders to audit, relative to `cwd`. */
  paths: readonly string[];
  cwd: string;
  config: ResolvedConfig;
  /** Where role globs are matched from; by default the config's folder or the nearest project root. */
  root?: string;
  extraIgnores?: readonly string[];
  /** List skipped files as diagnostics (they are always counted). */
  verbose?: boolean;
  /** Files read so far (`total` undefined: the walk is not over), then files analysed out of `total`. */
  onProgress?: (done: number, total: number | undefined) => void;
  cache?: { location: string };
  /**
   * Walk and read the files in a second thread while this one prefilters them. On by default, except
   * with `cache`: a warm run has little to do besides reading, and starting a thread costs more than it
   * saves there. Results are the same either way; without the compiled worker (tests run from source),
   * it is off.
   */
  threads?: boolean;
}

const PROJECT_MARKERS = ['package.json', 'pyproject.toml', 'setup.py', 'requirements.txt', '.git'];

/** The folder role globs are relative to: the config's folder, else the nearest project root above the first path. */
export function findProjectRoot(start: string, config: ResolvedConfig): string {
  if (config.baseDir) return config.baseDir;
  let dir = resolve(start);
  if (existsSync(dir) && statSync(dir).isFile()) dir = dirname(dir);
  for (let current = dir; ; current = dirname(current)) {
    if (PROJECT_MARKERS.some((marker) => existsSync(join(current, marker)))) return current;
    if (dirname(current) === current) return dir;
  }
}

/** Text the reading thread has already checked is UTF-8. */
const utf8 = new TextDecoder('utf-8', { ignoreBOM: false });

const SCRIPT_KINDS = new Set(['package-json', 'dockerfile', 'compose', 'procfile', 'workflow']);

interface FileState {
  file: DiscoveredFile;
  text: string;
  /** The content digest the cache keys this file's results by (only with `--cache`). */
  digest?: string;
  /** The text was dropped once the file was analysed with nothing to report: a large repo's text is not all kept. */
  released?: boolean;
  analysis: FileAnalysis;
  /** JS/TS: what the prefilters said as the file was read (not with `--cache`, whose hits need none). */
  gate?: TypescriptGate;
  /** JS/TS: its analysis as if no schema creation were reachable from it, made as it was read (not with `--cache`). */
  early?: FileAnalysis;
  /** package.json, Dockerfile, compose file, Procfile, workflow: what it runs, read as it arrived. */
  script?: ReturnType<typeof readScriptFile>;
  /** JS/TS: whether a class in it may construct anything (`mayHoldConstruction`). */
  constructs?: boolean;
  /** Findings from whole-repo analyses that land in this file. */
  projectFindings: Finding[];
}

/**
 * `readFileSync(join(__dirname, '..', 'db', 'schema.sql'))` in `src/index.ts` → `db/schema.sql`:
 * resolved from the reading file's folder where the path is static, else by the longest matching tail.
 */
function resolveExecutedSql(fromPath: string, written: string, sqlPaths: readonly string[]): string | undefined {
  const parts = written.split('/').filter((p) => p !== '' && p !== '.');
  // Unknown parts (`__dirname`, `BASE_DIR`) are holes, `\uE000` from TS and `…` from Python.
  const lastHole = parts.map((p) => p.includes('\uE000') || p.includes('…')).lastIndexOf(true);
  const staticTail = parts.slice(lastHole + 1);
  const direct = posix.normalize(posix.join(posix.dirname(fromPath), ...staticTail));
  if (sqlPaths.includes(direct)) return direct;
  const tail = staticTail.filter((p) => p !== '..').join('/');
  const matches = sqlPaths.filter((p) => p === tail || p.endsWith(`/${tail}`));
  return matches.length === 1 ? matches[0] : matches.sort((a, b) => commonPrefix(b, fromPath) - commonPrefix(a, fromPath))[0];
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

/**
 * The files under the request's paths, read, in batches: from a worker thread that walks and reads
 * while this thread works on what it has received, or, without threads, all from this thread.
 * Returns what the walk skipped, the paths that do not exist, and whether a worker did the reading.
 */
async function* readRepository(request: ReadRequest, threads: boolean): AsyncGenerator<ReadOutcome[], ReadSummary & { threads: boolean }> {
  const script = new URL('./read-worker.js', import.meta.url);
  if (!threads || script.protocol !== 'file:' || !existsSync(fileURLToPath(script))) {
    const batches: ReadOutcome[][] = [];
    const summary = await discoverAndRead(request, (batch) => batches.push(batch));
    yield* batches;
    return { ...summary, threads: false };
  }
  const worker = new Worker(script, { workerData: request });
  const received: ReadMessage[] = [];
  let failure: Error | undefined;
  let wake = () => {};
  worker.on('message', (message: ReadMessage) => {
    received.push(message);
    wake();
  });
  worker.on('error', (error) => {
    failure = error;
    wake();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the thread reading the files stopped early (exit code ${code})`);
    wake();
  });
  try {
    for (let next = 0; ; next++) {
      while (next >= received.length && !failure) await new Promise<void>((resolve) => (wake = resolve));
      const message = received[next];
      if (!message) throw failure!;
      received[next] = undefined as never;
      if ('batch' in message) yield message.batch;
      else if ('done' in message) return { ...message.done, threads: true };
      else throw new Error(`reading the files failed: ${message.error}`);
    }
  } finally {
    worker.removeAllListeners();
    void worker.terminate();
  }
}

export async function audit(options: AuditOptions): Promise<AuditResult> {
  const started = performance.now();
  const timings: { phase: string; ms: number }[] = [];
  let phaseStart = started;
  const endPhase = (phase: string) => {
    const now = performance.now();
    timings.push({ phase, ms: now - phaseStart });
    phaseStart = now;
  };
  const { config, cwd } = options;
  const firstPath = resolve(cwd, options.paths[0] ?? '.');
  const root = options.root ? resolve(cwd, options.root) : findProjectRoot(firstPath, config);
  // Entries are keyed by root-relative path, so the root is part of what the whole cache depends on.
  const cache = options.cache ? new AnalysisCache(options.cache.location, `${config.hash}\0${root}\0${JSON.stringify(options.extraIgnores ?? [])}`) : undefined;
  if (cache) endPhase('cache load');
  const roleOf = createRoleMatcher(config.roles);
  const absolutePaths = options.paths.map((p) => resolve(cwd, p));
  const noSuchPath = (missing: readonly string[]) => new UsageError(`no such file or directory: ${missing.map((p) => options.paths[absolutePaths.indexOf(p)] ?? p).join(', ')}`);
  // Checked before the walk, so a mistyped path fails at once rather than after reading the others.
  const missing = absolutePaths.filter((p) => !existsSync(p));
  if (missing.length > 0) throw noSuchPath(missing);

  const display = (absolute: string) => relative(cwd, absolute).split(sep).join('/') || '.';
  const diagnostics: Diagnostic[] = [];
  let skippedCount = 0;
  const skip = (absolute: string, reason: string) => {
    skippedCount++;
    if (options.verbose) diagnostics.push({ file: display(absolute), message: `skipped: ${reason}`, kind: 'skipped', severity: 'warning' });
  };
  const settings = config.rules;
  /** What a file gives one stage (`slot`), from the cache when its content and `context` are unchanged. */
  const cached = <T>(state: FileState, slot: 'analysis' | 'text-facts' | 'commands', context: string, compute: () => T): T => {
    if (!cache) return compute();
    const key = `${state.file.path}\0${slot}`;
    const hash = context === '' ? state.digest! : `${state.digest}\0${context}`;
    return cache.get<T>(key, hash) ?? cache.set(key, hash, compute());
  };

  // Each file is decoded and prefiltered as it arrives, while the rest of the repository is still
  // being walked and read (in the other thread): what a JS/TS file imports, which rules could
  // match it, whether it holds a class.
  const states: FileState[] = [];
  const textFacts = new Map<FileState, FileFacts>();
  const receive = (outcome: ReadOutcome) => {
    const { file } = outcome;
    if ('skipped' in outcome) return skip(file.absolute, outcome.skipped);
    const text = outcome.text ?? utf8.decode(outcome.bytes);
    const state: FileState = { file, text, digest: cache && AnalysisCache.digest(text), analysis: { findings: [] }, projectFindings: [] };
    states.push(state);
    options.onProgress?.(states.length, undefined);
    if (file.kind === 'typescript') {
      // `discoverAndRead` prefilters every JS/TS file; its facts only when there is no cache to hold them.
      const prefiltered = outcome.prefiltered!;
      if (prefiltered.role) roleOf.remember(file.path, prefiltered.role);
      const role = roleOf(file.path);
      textFacts.set(state, cached(state, 'text-facts', '', () => prefiltered.facts ?? extractTextFacts(text, role)));
      state.constructs = prefiltered.constructs;
      if (!cache) {
        state.gate = gateTypescriptFile(text, role, settings, prefiltered.needsFacts!);
        // Parsed now, while the other thread reads on. Whether schema creation is reachable through
        // its imports is not known yet: a file where that matters is analysed again once it is.
        state.early = analyzeTypescriptFile(file.path, text, role, settings, { facts: true, textFacts: {}, reachesSchema: false, gate: state.gate });
      }
    } else if (file.kind === 'python') {
      textFacts.set(state, cached(state, 'text-facts', '', () => extractPythonTextFacts(text, roleOf(file.path))));
    } else if (SCRIPT_KINDS.has(file.kind)) {
      state.script = cached(state, 'commands', '', () => readScriptFile(file, text));
    }
  };
  const reader = readRepository({ root, paths: absolutePaths, ignores: [...config.ignore, ...(options.extraIgnores ?? [])], maxFileSize: config.maxFileSize, roles: config.roles, textFacts: !cache }, options.threads ?? !cache);
  let step: IteratorResult<ReadOutcome[], ReadSummary & { threads: boolean }>;
  try {
    for (step = await reader.next(); !step.done; step = await reader.next()) step.value.forEach(receive);
  } catch (error) {
    // Stops the reading thread, which would otherwise read on and keep the process alive.
    await reader.return({ skipped: [], unmatched: [], threads: false });
    throw error;
  }
  const { skipped, unmatched, threads } = step.value;
  if (unmatched.length > 0) throw noSuchPath(unmatched);
  for (const s of skipped) skip(s.absolute, s.reason);
  // In path order, as one thread walking alone would have listed them.
  states.sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0));
  endPhase(threads ? 'discover & read (2 threads)' : 'discover & read');

  let done = 0;
  const progress = () => options.onProgress?.(++done, states.length);
  const ofKind = (kind: DiscoveredFile['kind']) => states.filter((s) => s.file.kind === kind);

  // Imports first, from the text alone: a class is summarised for the whole-repo schema analysis
  // only when a file that creates schema is reachable from it.
  const allPaths = new Set(states.map((s) => s.file.path));
  const resolveImport = createImportResolver(allPaths);
  // Asked while every text is still held: for the reach set, then for each file before it is released.
  const byPath = new Map([...textFacts.keys()].map((state) => [state.file.path, state]));
  const bindings = new Map<string, ImportBinding[]>();
  const callsInto = (path: string, specifier: string): boolean => {
    const state = byPath.get(path)!;
    const own = bindings.get(path) ?? bindings.set(path, importBindingsOf(state.text, textFacts.get(state)?.imports ?? [])).get(path)!;
    return callsImportFrom(state.text, own, specifier);
  };
  const reachesSchema = filesReachingSchemaByCalls(
    [...textFacts].map(([state, facts]) => ({ path: state.file.path, kind: state.file.kind, ...facts })),
    resolveImport,
    callsInto,
  );
  // Only a class that calls into a module reaching schema creation can start a cross-file path.
  const startsSchemaPath = (state: FileState) =>
    state.constructs === true &&
    (textFacts.get(state)?.imports ?? []).some(({ specifier }) => reachesSchema.has(resolveImport(state.file.path, specifier) ?? '') && callsInto(state.file.path, specifier));
  endPhase('imports');

  // JS/TS first: it tells which .sql files application code executes at startup.
  const sqlPaths = ofKind('sql').map((s) => s.file.path);
  const executedSql = new Map<string, string>();
  for (const state of ofKind('typescript')) {
    const reaches = startsSchemaPath(state);
    // The text facts are cached on their own: the analysis keeps only what the parse added.
    const analysis = (!reaches && state.early) || cached(state, 'analysis', reaches ? 'reaches-schema' : '', () =>
      analyzeTypescriptFile(state.file.path, state.text, roleOf(state.file.path), settings, { facts: true, textFacts: {}, reachesSchema: reaches, gate: state.gate }),
    );
    state.analysis = { ...analysis, facts: { ...textFacts.get(state), ...analysis.facts } };
    for (const executed of state.analysis.facts?.executedSqlFiles ?? []) {
      const target = resolveExecutedSql(state.file.path, executed.path, sqlPaths);
      if (target) executedSql.set(target, `${state.file.path} (${executed.api})`);
    }
    releaseText(state);
    progress();
  }

  endPhase('js/ts');
  const pythonStates = ofKind('python');
  let parsePythonText: ((text: string) => ReturnType<typeof parsePython>) | undefined;
  if (pythonStates.some((s) => activePythonRules(settings) && /\S/.test(s.text))) {
    const parser = await loadPythonParser();
    parsePythonText = (text) => parsePython(parser, text);
    for (const state of pythonStates) {
      state.analysis = cached(state, 'analysis', '', () => analyzePythonFile(state.file.path, state.text, roleOf(state.file.path), settings, (t) => parsePython(parser, t), { facts: true, textFacts: textFacts.get(state) }));
      for (const executed of state.analysis.facts?.executedSqlFiles ?? []) {
        const target = resolveExecutedSql(state.file.path, executed.path, sqlPaths);
        if (target) executedSql.set(target, `${state.file.path} (${executed.api})`);
      }
      releaseText(state);
      progress();
    }
  } else {
    pythonStates.forEach(progress);
  }

  endPhase('python');
  for (const state of ofKind('sql')) {
    const executedBy = executedSql.get(state.file.path);
    state.analysis = cached(state, 'analysis', executedBy ?? '', () => analyzeSqlFile({ path: state.file.path, text: state.text, role: roleOf(state.file.path), migrationPhase: migrationPhaseOf(state.file.path), executedBy }, settings));
    progress();
  }
  // Down migrations undo, they run in no forward order: a copy in one says nothing.
  dropWhatEarlierMigrationsCopied(ofKind('sql').filter((s) => roleOf(s.file.path) === 'migration' && !executedSql.has(s.file.path) && migrationPhaseOf(s.file.path) !== 'down'));

  endPhase('sql');
  const startScripts = new Map<string, string>();
  const startCommands: LocatedCommand[] = [];
  /** Commands a developer runs by name (`dev`, `db:reset`, `test:*`): what they run is not production code. */
  const operatorCommands: LocatedCommand[] = [];
  const packageMains: string[] = [];
  for (const state of states.filter((s) => SCRIPT_KINDS.has(s.file.kind))) {
    const { file, text } = state;
    // `receive` read every such file as it arrived.
    const read = state.script!;
    if ('error' in read) {
      state.analysis = { findings: [], parseError: { offset: 0, message: read.error } };
      progress();
      continue;
    }
    const { commands } = read;
    if (read.facts) state.analysis.facts = read.facts;
    packageMains.push(...(read.mains ?? []));
    for (const script of referencedScripts(commands)) startScripts.set(script.replace(/^\.?\//, '').split('/').pop()!, file.path);
    const dir = posix.dirname(file.path);
    startCommands.push(...commands.filter((c) => c.phase === 'start' || c.phase === 'deploy').map((c) => ({ text: c.text, dir, via: c.via })));
    if (file.kind === 'package-json') operatorCommands.push(...commands.filter((c) => c.phase === 'dev' || c.phase === 'test' || c.phase === 'unknown').map((c) => ({ text: c.text, dir })));
    const input: ScriptInput = { path: file.path, text, role: roleOf(file.path), kind: file.kind as ScriptInput['kind'], commands };
    state.analysis = { ...analyzeScriptFile(input, settings), facts: state.analysis.facts };
    progress();
  }

  for (const state of ofKind('shell')) {
    const name = state.file.path.split('/').pop()!;
    const referencedBy = startScripts.get(name);
    if (referencedBy || isEntrypointScriptName(state.file.path)) {
      const commands = extractShellCommands(state.text, 'start', referencedBy ? `${state.file.path}, started by ${referencedBy}` : `${state.file.path}, an entrypoint script`);
      startCommands.push(...commands.map((c) => ({ text: c.text, dir: posix.dirname(state.file.path), via: c.via })));
      state.analysis = analyzeScriptFile({ path: state.file.path, text: state.text, role: roleOf(state.file.path), kind: 'shell', commands }, settings);
    }
    progress();
  }

  // pytest-env's `env =` entries are what the test run's environment will be.
  for (const state of ofKind('pytest-config')) {
    state.analysis = { findings: [], facts: envLocationFacts(parsePytestEnv(state.text, state.file.path), state.text, true) };
    progress();
  }

  const typeormEnv = settings.get('no-auto-schema-sync');
  const atLevel = (findings: Finding[]) => (typeormEnv && typeormEnv.level !== 'off' ? applyLevel(findings, typeormEnv) : []);
  for (const state of ofKind('orm-config')) {
    if (!isTestRole(roleOf(state.file.path))) state.analysis = { findings: atLevel(detectOrmconfig(state.text)) };
    progress();
  }
  for (const state of ofKind('env')) {
    const side = envFileSide(state.file.path);
    if (side) {
      const entries = parseEnvFile(state.text);
      const findings = side === 'production' ? atLevel(detectTypeormEnv(entries)) : [];
      state.analysis = { findings, facts: envLocationFacts(entries, state.text, side === 'test') };
    }
    progress();
  }

  endPhase('scripts & env');
  const operatorEntries = findEntryPoints(operatorCommands, [], allPaths);
  for (const path of allPaths) if (OPERATOR_MODULE.test(path)) operatorEntries.add(path);
  const entryOrigins = new Map<string, string>();
  const entries = findEntryPoints(startCommands, packageMains, allPaths, entryOrigins);
  runWholeRepoAnalyses(states, root, settings, roleOf, entries, entryOrigins, operatorEntries, startCommands, parsePythonText, resolveImport, reachesSchema);
  endPhase('whole-repo');
  if (cache) {
    cache.save();
    endPhase('cache save');
  }

  const findings: ReportedFinding[] = [];
  for (const state of states) {
    const { file, analysis } = state;
    const own = dedupe([...analysis.findings, ...state.projectFindings]);
    if (state.released && own.length === 0) continue;
    // A whole-repo finding may land in a file whose text was released: read it again.
    const text = state.released ? stripBom(readFileSync(file.absolute, 'utf8')) : state.text;
    const name = display(file.absolute);
    const locate = createLocator(text);
    if (analysis.parseError) {
      const at = locate(analysis.parseError.offset);
      diagnostics.push({ file: name, line: at.line, column: at.column, message: `cannot parse, skipped: ${analysis.parseError.message}`, kind: 'parse-error', severity: 'error' });
    }
    if (own.length === 0 && !text.includes('dbguard-ignore')) continue;
    const outcome = suppress(text, own, file.kind);
    for (const problem of outcome.problems) {
      const at = locate(problem.offset);
      diagnostics.push({ file: name, line: at.line, column: at.column, message: problem.message, kind: 'suppression', severity: 'warning' });
    }
    const lines = text.split(/\r\n|[\r\n\u2028\u2029]/);
    const reported = [
      ...outcome.active.map((finding) => ({ finding, suppressed: undefined })),
      ...outcome.suppressed.map((s) => ({ finding: s.finding, suppressed: { kind: s.kind, justification: s.justification } })),
    ]
      .sort((a, b) => a.finding.range[0] - b.finding.range[0] || a.finding.ruleId.localeCompare(b.finding.ruleId))
      .map(({ finding, suppressed }) => {
        const start = locate(finding.range[0]);
        return { finding, suppressed, start, ruleId: finding.ruleId, messageId: finding.messageId, sourceLine: lines[start.line - 1] ?? '' };
      });
    const fingerprints = fingerprintFileFindings(relative(root, file.absolute).split(sep).join('/'), reported);
    reported.forEach(({ finding, suppressed, start, sourceLine }, i) => {
      const end = locate(Math.max(finding.range[0], finding.range[1]));
      findings.push({ ...toReported(finding, name, start, end, locate), sourceLine, fingerprint: fingerprints[i]!, ...(suppressed ? { suppressed } : {}) });
    });
  }
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId)));
  diagnostics.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  const active = findings.filter((f) => !f.suppressed);
  endPhase('report');
  return {
    cwd,
    timings,
    findings,
    diagnostics,
    summary: {
      files: states.length,
      errors: active.filter((f) => f.severity === 'error').length,
      warnings: active.filter((f) => f.severity === 'warning').length,
      suppressed: findings.length - active.length,
      skipped: skippedCount,
      durationMs: Math.round(performance.now() - started),
    },
  };
}

/**
 * The `.sql` migrations of one folder run in order, so a drop whose rows or values an earlier one
 * copied loses nothing (`keptAcrossMigrations`). A folder is the migrations root (`prisma/migrations`
 * holds one folder per migration) or, without one, the file's own folder.
 */
function dropWhatEarlierMigrationsCopied(migrations: readonly FileState[]): void {
  const groups = new Map<string, FileState[]>();
  for (const state of migrations) {
    const parts = state.file.path.split('/');
    const root = parts.findLastIndex((part, i) => i < parts.length - 1 && /migrations?$/i.test(part));
    const key = root >= 0 ? parts.slice(0, root + 1).join('/') : parts.slice(0, -1).join('/');
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(state);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0));
    const statements = group.map((state) => classifySql(state.text));
    const kept = keptAcrossMigrations(statements);
    group.forEach((state, i) => {
      const starts = new Set(statements[i]!.filter((s) => kept.has(s)).map((s) => s.start));
      if (starts.size === 0) return;
      state.analysis = { ...state.analysis, findings: state.analysis.findings.filter((f) => f.ruleId !== 'no-destructive-sql' || !starts.has(f.range[0])) };
    });
  }
}

/** Keeps a file's text only while something may still be reported in it. */
function releaseText(state: FileState): void {
  if (state.analysis.findings.length === 0 && !state.analysis.parseError && !state.text.includes('dbguard-ignore')) {
    state.text = '';
    state.released = true;
  }
}

/** The same rule at the same place once: a per-file finding and a whole-repo one can coincide. */
function dedupe(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}\0${f.range[0]}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Whole-repo facts → findings in any file: the test setup that uses the production database, the
 * constructor that creates schema through another file. Code only tests or developer scripts reach
 * loses its findings: it is test or development context wherever it lives.
 */
function runWholeRepoAnalyses(
  states: FileState[],
  root: string,
  settings: ResolvedConfig['rules'],
  roleOf: (path: string) => ReturnType<ReturnType<typeof createRoleMatcher>>,
  entries: ReadonlySet<string>,
  entryOrigins: ReadonlyMap<string, string>,
  operatorScripts: ReadonlySet<string>,
  startCommands: readonly LocatedCommand[],
  parsePythonText: ((text: string) => ReturnType<typeof parsePython>) | undefined,
  resolveImport: ReturnType<typeof createImportResolver>,
  reachesSchema: ReadonlySet<string>,
): void {
  const byPath = new Map(states.map((s) => [s.file.path, s]));
  const facts = new Map<string, ProjectFileFacts>();
  for (const state of states) {
    const fileFacts: FileFacts = state.analysis.facts ?? {};
    facts.set(state.file.path, { path: state.file.path, role: roleOf(state.file.path), kind: state.file.kind, ...withoutScannerOnly(fileFacts) });
  }
  loadMissingSchemaSummaries(facts, root, resolveImport, parsePythonText, reachesSchema);
  for (const finding of runProjectDetectors({ files: facts, resolveImport }, settings)) {
    const { file, ...rest } = finding;
    byPath.get(file)?.projectFindings.push(rest);
  }
  for (const path of [...findNonProductionModules(facts, resolveImport, entries, operatorScripts), ...findOperatorSeeds(facts, resolveImport, startCommands)]) {
    const state = byPath.get(path)!;
    state.analysis = { ...state.analysis, findings: [] };
    state.projectFindings = state.projectFindings.filter((f) => f.ruleId === 'no-test-prod-database');
  }
  // An error in application code says what runs it, when a start path is known to reach its file.
  for (const [path, shown] of startPaths(facts, resolveImport, entryOrigins)) {
    const state = byPath.get(path)!;
    if (state.analysis.findings.some((f) => f.severity === 'error')) {
      state.analysis = { ...state.analysis, findings: state.analysis.findings.map((f) => (f.severity === 'error' ? { ...f, runsFrom: shown } : f)) };
    }
  }
}

function withoutScannerOnly(facts: FileFacts): Omit<FileFacts, 'executedSqlFiles'> {
  const { executedSqlFiles: _, ...rest } = facts;
  return rest;
}

function activePythonRules(settings: ResolvedConfig['rules']): boolean {
  return Object.values(rules as Record<string, AnyRuleModule>).some((rule) => rule.detect.python && settings.get(rule.meta.id)?.level !== 'off');
}

/**
 * The commands a package.json, Dockerfile, compose file, Procfile or workflow runs, with the
 * database locations a compose file's `environment:` gives and a package's entry points; or why
 * the file cannot be read (invalid JSON or YAML).
 */
function readScriptFile(file: DiscoveredFile, text: string): { commands: ScriptCommand[]; facts?: FileFacts; mains?: string[] } | { error: string } {
  try {
    if (file.kind === 'compose') {
      const compose = extractComposeFile(text, file.path);
      const inTest = /(?:^|[./-])(?:test|tests|ci|e2e)(?:[./-]|$)/i.test(file.path.split('/').pop() ?? '');
      return { commands: compose.commands, facts: envLocationFacts(compose.env, text, inTest) };
    }
    if (file.kind === 'package-json') return readPackageJson(text, file.path);
    return { commands: extractCommands(file, text) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function extractCommands(file: DiscoveredFile, text: string): ScriptCommand[] {
  switch (file.kind) {
    case 'dockerfile':
      return extractDockerfileCommands(text);
    case 'procfile':
      return extractProcfileCommands(text);
    case 'workflow':
      return extractWorkflowCommands(text, file.path);
    default:
      return [];
  }
}

function toReported(finding: Finding, file: string, start: { line: number; column: number }, end: { line: number; column: number }, locate: (offset: number) => { line: number; column: number }) {
  const rule = (rules as Record<string, AnyRuleModule>)[finding.ruleId]!;
  return {
    ruleId: finding.ruleId as RuleId,
    severity: finding.severity,
    file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    message: interpolate(rule.meta.messages[finding.messageId] ?? finding.messageId, finding.data) + (finding.runsFrom ? ` Runs from ${finding.runsFrom}.` : ''),
    messageId: finding.messageId,
    engines: ['scanner' as const],
    ...(finding.suggestions && finding.suggestions.length > 0
      ? {
          suggestions: finding.suggestions.map((s) => {
            const from = locate(s.fix.range[0]);
            const to = locate(s.fix.range[1]);
            return { message: interpolate(rule.meta.messages[s.messageId] ?? s.messageId, s.data), replacement: { line: from.line, column: from.column, endLine: to.line, endColumn: to.column, text: s.fix.text } };
          }),
        }
      : {}),
  };
}
