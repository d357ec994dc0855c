import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ESLint, Linter } from 'eslint';
import { fingerprintFileFindings } from '../core/fingerprint.js';
import { stripBom } from '../core/location.js';
import type { RuleId } from '../core/types.js';
import type { ResolvedConfig } from '../scanner/config.js';
import type { ReportedFinding } from '../scanner/result.js';
import { InputError, type EslintMode } from './inputs.js';

/** ESLint's own lookup order (`eslint.config.*`). */
const FLAT_CONFIG_NAMES = ['eslint.config.js', 'eslint.config.mjs', 'eslint.config.cjs', 'eslint.config.ts', 'eslint.config.mts', 'eslint.config.cts'];
const JS_FILE = /\.(?:js|mjs|cjs|jsx)$/i;
const TS_FILE = /\.(?:ts|mts|cts|tsx)$/i;
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/;
/** `calculateConfigForFile` is asked about this many files to learn whether the repo's config enables dbguard. */
const SAMPLE_SIZE = 20;

export interface EslintRun {
  /** `dbguard/*` findings, `engines: ['eslint']`, paths relative to `cwd`. */
  findings: ReportedFinding[];
  /** One line for the log and the job summary: what ran, or why nothing did. */
  note: string;
}

export interface EslintRunOptions {
  mode: EslintMode;
  /** Where ESLint runs and is resolved from (`working-directory`). */
  cwd: string;
  /** The checkout: the flat config is looked for from `cwd` up to here. */
  workspace: string;
  /** Absolute paths of the JS/TS files the scanner read. */
  files: readonly string[];
  /** The scanner's project root: fingerprints are computed from paths relative to it. */
  root: string;
  config: ResolvedConfig;
}

type EslintClass = new (options: ESLint.Options) => ESLint;

/** The flat config ESLint would pick for `cwd`, searching up to the checkout. */
export function findFlatConfig(cwd: string, workspace: string): string | undefined {
  for (let dir = cwd; ; dir = dirname(dir)) {
    const found = FLAT_CONFIG_NAMES.map((name) => join(dir, name)).find((file) => existsSync(file));
    if (found) return found;
    if (dir === workspace || dirname(dir) === dir || !dir.startsWith(workspace)) return undefined;
  }
}

/** ESLint as the workspace installed it: never a copy of ours, so the repo's plugins and parsers see the ESLint they expect. */
async function loadWorkspaceEslint(cwd: string): Promise<{ ESLint: EslintClass; version: string } | { problem: string }> {
  const workspaceRequire = createRequire(join(cwd, 'package.json'));
  let entry: string;
  try {
    entry = workspaceRequire.resolve('eslint');
  } catch {
    return { problem: `ESLint is not installed in ${cwd} (install dependencies before this step, e.g. \`npm ci\`)` };
  }
  const { version } = workspaceRequire('eslint/package.json') as { version: string };
  if (Number(version.split('.')[0]) < 9) return { problem: `ESLint ${version} is installed, but dbguard needs ESLint 9 or later (flat config)` };
  const api = (await import(pathToFileURL(entry).href)) as { ESLint?: EslintClass; loadESLint?: (options: { useFlatConfig: boolean }) => Promise<EslintClass>; default?: unknown };
  const exports = (api.ESLint ? api : api.default) as typeof api;
  const ESLintClass = exports.loadESLint ? await exports.loadESLint({ useFlatConfig: true }) : exports.ESLint;
  if (!ESLintClass) return { problem: `the eslint package in ${cwd} exports no ESLint class` };
  return { ESLint: ESLintClass, version };
}

async function importFromWorkspace(cwd: string, name: string): Promise<unknown> {
  try {
    const entry = createRequire(join(cwd, 'package.json')).resolve(name);
    const module = (await import(pathToFileURL(entry).href)) as { default?: unknown };
    return module.default ?? module;
  } catch {
    return undefined;
  }
}

function isDbguardRuleOn(ruleId: string, setting: unknown): boolean {
  if (!ruleId.startsWith('dbguard/')) return false;
  const level = Array.isArray(setting) ? setting[0] : setting;
  return level !== 0 && level !== 'off' && level !== undefined;
}

/** One file per extension, then one per top folder: configs are usually split along those lines. */
function sampleFiles(files: readonly string[], cwd: string): string[] {
  const picked = new Map<string, string>();
  for (const file of files) {
    const extension = /\.[^.]+$/.exec(file)?.[0] ?? '';
    if (!picked.has(`ext:${extension}`)) picked.set(`ext:${extension}`, file);
  }
  for (const file of files) {
    const top = relative(cwd, file).split(sep)[0] ?? '';
    if (!picked.has(`dir:${top}`)) picked.set(`dir:${top}`, file);
  }
  return [...new Set(picked.values())].slice(0, SAMPLE_SIZE);
}

async function repoConfigEnablesDbguard(eslint: ESLint, samples: readonly string[]): Promise<boolean> {
  for (const file of samples) {
    const config = (await eslint.calculateConfigForFile(file)) as { rules?: Record<string, unknown> } | undefined;
    if (Object.entries(config?.rules ?? {}).some(([id, setting]) => isDbguardRuleOn(id, setting))) return true;
  }
  return false;
}

/** dbguard's recommended rules, at the levels and with the options of the dbguard config, so both engines judge alike. */
async function dbguardOverrideConfig(config: ResolvedConfig, tsParser: unknown): Promise<Linter.Config[]> {
  const { default: plugin } = await import('../eslint/plugin.js');
  const rules = Object.fromEntries(
    [...config.rules].filter(([, setting]) => setting.level !== 'off').map(([id, setting]) => [`dbguard/${id}`, [setting.level === 'error' ? 2 : 1, ...setting.options]]),
  ) as Linter.RulesRecord;
  const shared = { plugins: { dbguard: plugin as unknown as ESLint.Plugin }, settings: { dbguard: config.roles }, rules };
  const configs: Linter.Config[] = [
    { name: 'dbguard-action/js', files: ['**/*.{js,mjs,cjs,jsx}'], ...shared, languageOptions: { ecmaVersion: 'latest', parserOptions: { ecmaFeatures: { jsx: true } } } },
  ];
  if (tsParser) {
    configs.push({ name: 'dbguard-action/ts', files: ['**/*.{ts,mts,cts,tsx}'], ...shared, languageOptions: { parser: tsParser as Linter.Parser, ecmaVersion: 'latest', sourceType: 'module' } });
  }
  return configs;
}

function createEslint(ESLintClass: EslintClass, options: ESLint.Options): ESLint {
  const onlyDbguard = ({ ruleId }: { ruleId: string }) => ruleId.startsWith('dbguard/');
  try {
    return new ESLintClass({ ...options, ruleFilter: onlyDbguard });
  } catch (error) {
    // ESLint 9 before `ruleFilter` (9.5) rejects unknown options; findings are filtered afterwards anyway.
    if (!/ruleFilter/.test(String(error))) throw error;
    return new ESLintClass(options);
  }
}

/** ESLint's messages of dbguard rules as findings, fingerprinted like the scanner's. */
export function toFindings(results: readonly ESLint.LintResult[], cwd: string, root: string): ReportedFinding[] {
  const findings: ReportedFinding[] = [];
  for (const result of results) {
    const messages = [
      ...result.messages.map((message) => ({ message, suppressed: undefined })),
      ...(result.suppressedMessages ?? []).map((message) => ({ message, suppressed: { kind: 'eslint-directive' as const, justification: message.suppressions?.[0]?.justification ?? '' } })),
    ]
      .filter(({ message }) => !message.fatal && message.ruleId?.startsWith('dbguard/'))
      .sort((a, b) => a.message.line - b.message.line || a.message.column - b.message.column || a.message.ruleId!.localeCompare(b.message.ruleId!));
    if (messages.length === 0) continue;
    const lines = stripBom(readFileSync(result.filePath, 'utf8')).split(LINE_BREAK);
    const located = messages.map(({ message, suppressed }) => ({
      message,
      suppressed,
      ruleId: message.ruleId!.slice('dbguard/'.length) as RuleId,
      messageId: message.messageId ?? '',
      sourceLine: lines[message.line - 1] ?? '',
    }));
    const fingerprints = fingerprintFileFindings(relative(root, result.filePath).split(sep).join('/'), located);
    const file = relative(cwd, result.filePath).split(sep).join('/');
    located.forEach(({ message, suppressed, ruleId, messageId, sourceLine }, i) => {
      findings.push({
        ruleId,
        severity: message.severity === 2 ? 'error' : 'warning',
        file,
        line: message.line,
        column: message.column,
        endLine: message.endLine ?? message.line,
        endColumn: message.endColumn ?? message.column,
        message: message.message,
        messageId,
        engines: ['eslint'],
        fingerprint: fingerprints[i]!,
        sourceLine,
        ...(suppressed ? { suppressed } : {}),
      });
    });
  }
  return findings;
}

/**
 * Runs the workspace's ESLint over the files the scanner read. With the repository's flat config when
 * it turns on any `dbguard/` rule (the team's options and parsers apply), otherwise with dbguard's
 * rules alone, TypeScript included only when `@typescript-eslint/parser` is installed.
 */
export async function runEslint(options: EslintRunOptions): Promise<EslintRun> {
  const { mode, cwd } = options;
  if (mode === 'false') return { findings: [], note: 'ESLint: not run (eslint: false).' };
  const configFile = findFlatConfig(cwd, options.workspace);
  if (!configFile && mode === 'auto') return { findings: [], note: 'ESLint: not run, the repository has no ESLint flat config (eslint.config.*).' };
  const loaded = await loadWorkspaceEslint(cwd);
  if ('problem' in loaded) {
    if (mode === 'true') throw new InputError('eslint', `is "true", but ${loaded.problem}`);
    return { findings: [], note: `ESLint: not run, ${loaded.problem}.` };
  }
  const base: ESLint.Options = { cwd, warnIgnored: false, errorOnUnmatchedPattern: false, globInputPaths: false };
  const lintable = options.files.filter((file) => JS_FILE.test(file) || TS_FILE.test(file));

  let eslint: ESLint | undefined;
  let how = '';
  if (configFile) {
    try {
      const repoEslint = createEslint(loaded.ESLint, base);
      if (await repoConfigEnablesDbguard(repoEslint, sampleFiles(lintable, cwd))) {
        eslint = repoEslint;
        how = `the repository's ${relative(options.workspace, configFile).split(sep).join('/')}`;
      }
    } catch (error) {
      how = ` (${relative(options.workspace, configFile).split(sep).join('/')} could not be loaded: ${firstLine(error)})`;
    }
  }
  let files = lintable;
  if (!eslint) {
    const tsParser = await importFromWorkspace(cwd, '@typescript-eslint/parser');
    if (!tsParser) files = lintable.filter((file) => JS_FILE.test(file));
    eslint = createEslint(loaded.ESLint, { ...base, overrideConfigFile: true, overrideConfig: await dbguardOverrideConfig(options.config, tsParser) });
    how = `dbguard's rules${tsParser ? '' : ' on JavaScript only (no @typescript-eslint/parser installed)'}${how}`;
  }
  const results = files.length > 0 ? await eslint.lintFiles([...files]) : [];
  const findings = toFindings(results, cwd, options.root);
  const unparsed = results.filter((result) => result.messages.some((message) => message.fatal)).length;
  const parseNote = unparsed > 0 ? ` ESLint could not parse ${unparsed} file${unparsed === 1 ? '' : 's'}; the scanner still read them.` : '';
  // Files no config block matches come back as no result: count what was actually linted.
  return { findings, note: `ESLint ${loaded.version}: linted ${results.length} file${results.length === 1 ? '' : 's'} with ${how}.${parseNote}` };
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0] ?? '';
}
