import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type * as Sarif from 'sarif';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { failureReason, mergeFindings, rebaseResult } from '../src/action/merge.js';
import { failingFindings } from '../src/scanner/fail-on.js';
import { splitPaths } from '../src/action/inputs.js';
import type { AuditResult, ReportedFinding } from '../src/scanner/result.js';
import { compileSarifSchema } from './support/sarif-schema.js';
import { runNode } from './support/process.js';

const ROOT = join(import.meta.dirname, '..');

interface ActionManifest {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}
const manifest = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionManifest;

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  temporary.push(dir);
  return dir;
}

type Files = Record<string, string>;

function writeFiles(dir: string, files: Files): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=dbguard test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' }).trim();
}

interface Repo {
  dir: string;
  base: string;
  head: string;
}

/** A repository whose last commit is the pull request: `base` files, then `head` files on top. */
function pullRequestRepo(base: Files, head: Files): Repo {
  const dir = tempDir('dbguard-action-repo-');
  git(dir, 'init', '-q', '-b', 'main');
  writeFiles(dir, { 'package.json': '{ "name": "shop", "private": true }\n', '.gitignore': 'node_modules/\n', ...base });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  const baseSha = git(dir, 'rev-parse', 'HEAD');
  git(dir, 'checkout', '-q', '-b', 'feature');
  writeFiles(dir, head);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'head');
  return { dir, base: baseSha, head: git(dir, 'rev-parse', 'HEAD') };
}

/** The parts of a real `pull_request` (synchronize) payload the Action and the runner read. */
function pullRequestEvent(repo: Repo): unknown {
  const repository = { id: 1, name: 'shop', full_name: 'acme/shop', private: false, default_branch: 'main' };
  return {
    action: 'synchronize',
    number: 7,
    before: repo.base,
    after: repo.head,
    pull_request: {
      number: 7,
      state: 'open',
      title: 'Add the data source',
      draft: false,
      base: { label: 'acme:main', ref: 'main', sha: repo.base, repo: repository },
      head: { label: 'acme:feature', ref: 'feature', sha: repo.head, repo: repository },
    },
    repository,
    sender: { login: 'octocat', id: 1, type: 'User' },
  };
}

function pushEvent(repo: Repo): unknown {
  return { ref: 'refs/heads/main', before: repo.base, after: repo.head, repository: { id: 1, name: 'shop', full_name: 'acme/shop' }, commits: [] };
}

interface Annotation {
  command: 'error' | 'warning' | 'notice';
  properties: Record<string, string>;
  message: string;
}

interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  annotations: Annotation[];
  /** The `setFailed` message, if the step failed. */
  failure?: string;
  outputs: Record<string, string>;
  summary: string;
  workspace: string;
}

const unescapeData = (text: string) => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (text: string) => unescapeData(text.replace(/%3A/g, ':').replace(/%2C/g, ','));

/** Workflow commands as the runner reads them, honouring `::stop-commands::`. */
function parseCommands(stdout: string): Annotation[] {
  const commands: Annotation[] = [];
  let stoppedUntil: string | undefined;
  for (const line of stdout.split('\n')) {
    if (stoppedUntil) {
      if (line === `::${stoppedUntil}::`) stoppedUntil = undefined;
      continue;
    }
    const stop = /^::stop-commands::(.+)$/.exec(line);
    if (stop) {
      stoppedUntil = stop[1];
      continue;
    }
    const match = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const properties = Object.fromEntries((match[2] ?? '').split(',').filter(Boolean).map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at), unescapeProperty(pair.slice(at + 1))];
    }));
    commands.push({ command: match[1] as Annotation['command'], properties, message: unescapeData(match[3]!) });
  }
  return commands;
}

/** `name<<delimiter` … `delimiter`, as `@actions/core` writes `$GITHUB_OUTPUT`. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1]!] = match[3]!;
  return outputs;
}

/**
 * Runs `dist/action.js` the way the runner does: `node <main>` in the workspace, each input of
 * action.yml as `INPUT_<NAME>` (upper-cased, spaces as `_`, dashes kept) with its default unless
 * given, and the event, output and summary files the runner provides. Nothing else is inherited.
 */
async function runAction(repo: Repo, options: { inputs?: Record<string, string>; event?: 'pull_request' | 'push' } = {}): Promise<ActionRun> {
  const runnerTemp = tempDir('dbguard-runner-');
  const eventName = options.event ?? 'pull_request';
  const files = { event: join(runnerTemp, 'event.json'), output: join(runnerTemp, 'output.txt'), summary: join(runnerTemp, 'summary.md') };
  writeFileSync(files.event, JSON.stringify(eventName === 'pull_request' ? pullRequestEvent(repo) : pushEvent(repo)));
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  const unknown = Object.keys(options.inputs ?? {}).filter((name) => !(name in manifest.inputs));
  if (unknown.length > 0) throw new Error(`not inputs of action.yml: ${unknown.join(', ')}`);
  const inputs = Object.fromEntries(
    Object.entries(manifest.inputs).map(([name, input]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, options.inputs?.[name] ?? input.default ?? '']),
  );
  const env = {
    PATH: process.env.PATH,
    HOME: runnerTemp,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: repo.dir,
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_SHA: repo.head,
    GITHUB_REPOSITORY: 'acme/shop',
    RUNNER_TEMP: runnerTemp,
    ...inputs,
  };
  const result = await runNode([join(ROOT, manifest.runs.main)], { cwd: repo.dir, env, timeout: 60_000 });
  const commands = parseCommands(result.stdout);
  const failure = commands.find((c) => c.command === 'error' && Object.keys(c.properties).length === 0);
  return {
    code: result.code,
    stdout: result.stdout,
    stderr: result.stderr,
    annotations: commands.filter((c) => c !== failure),
    failure: failure?.message,
    outputs: parseOutputs(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    workspace: repo.dir,
  };
}

const validateSarif = compileSarifSchema();

function readSarif(run: ActionRun): Sarif.Log {
  const path = join(run.workspace, run.outputs['sarif-file']!);
  const log: unknown = JSON.parse(readFileSync(path, 'utf8'));
  expect(validateSarif(log) ? [] : validateSarif.errors).toEqual([]);
  return log as Sarif.Log;
}

const DATA_SOURCE = (synchronize: string) =>
  `import { DataSource } from 'typeorm';\n\nexport const AppDataSource = new DataSource({\n  type: 'postgres',\n  url: process.env.DATABASE_URL,\n  synchronize: ${synchronize},\n  migrations: ['dist/migrations/*.js'],\n});\n`;
const SERVER = (extra: string) => `import { AppDataSource } from './data-source';\n\nexport async function start() {\n  await AppDataSource.initialize();\n  await AppDataSource.dropDatabase();\n${extra}}\n`;
const MATH = 'export function add(a: number, b: number) {\n  return a + b;\n}\n';
const SYNC_MESSAGE = /^`synchronize: true` makes TypeORM rewrite the schema/;

/** The PR that turns on `synchronize` (line 6 of src/data-source.ts). */
function synchronizePullRequest(extra: Files = {}): Repo {
  return pullRequestRepo({ 'src/data-source.ts': DATA_SOURCE('false'), ...extra }, { 'src/data-source.ts': DATA_SOURCE('true') });
}

describe('action.yml', () => {
  it('declares the inputs and outputs of the issue, kebab-case, with their defaults', async () => {
    expect(Object.keys(manifest.inputs)).toEqual(['paths', 'config', 'fail-on', 'only-changed', 'baseline', 'sarif-file', 'eslint', 'annotations', 'summary', 'working-directory']);
    expect(Object.fromEntries(Object.entries(manifest.inputs).map(([name, input]) => [name, input.default]))).toEqual({
      paths: '.',
      config: '',
      'fail-on': 'error',
      'only-changed': 'auto',
      baseline: '',
      'sarif-file': '',
      eslint: 'auto',
      annotations: 'true',
      summary: 'true',
      'working-directory': '.',
    });
    expect(Object.keys(manifest.outputs)).toEqual(['findings', 'errors', 'warnings', 'sarif-file']);
    expect(manifest.runs).toEqual({ using: 'node24', main: 'dist/action.js' });
  });

  it('has no expressions to interpolate: inputs reach the JavaScript through INPUT_* variables', async () => {
    expect(readFileSync(join(ROOT, 'action.yml'), 'utf8')).not.toContain('${{');
  });
});

describe('the committed bundle', () => {
  it('is what `npm run build:action` builds from the current sources', async () => {
    const out = tempDir('dbguard-dist-');
    const build = await runNode([join(ROOT, 'src/action/build.mjs'), '--outdir', out], { cwd: ROOT });
    expect(build.code, build.stderr).toBe(0);
    const built = readdirSync(out).sort();
    expect(readdirSync(join(ROOT, 'dist')).sort()).toEqual(built);
    const stale = built.filter((file) => !readFileSync(join(out, file)).equals(readFileSync(join(ROOT, 'dist', file))));
    expect(stale, 'dist/ is stale: run `npm run build:action` and commit dist/').toEqual([]);
  }, 120_000);
});

describe('the Action, run as the runner runs it', () => {
  it('passes a clean pull request (Python included: the tree-sitter wasm loads from dist/)', async () => {
    const repo = pullRequestRepo({ 'src/data-source.ts': DATA_SOURCE('false') }, { 'src/math.ts': MATH, 'worker/tasks.py': 'def add(a, b):\n    return a + b\n' });
    const run = await runAction(repo, { inputs: { 'sarif-file': 'reports/dbguard.sarif' } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.failure).toBeUndefined();
    expect(run.annotations).toEqual([]);
    expect(run.outputs).toEqual({ findings: '0', errors: '0', warnings: '0', 'sarif-file': 'reports/dbguard.sarif' });
    expect(run.summary).toContain('## dbguard audit');
    expect(run.summary).toContain('✅ No problems found in 4 files.');
    expect(readSarif(run).runs[0]!.results).toEqual([]);
  });

  it('fails the pull request that adds `synchronize: true`, annotating that line', async () => {
    const repo = synchronizePullRequest();
    const run = await runAction(repo, { inputs: { 'sarif-file': 'dbguard.sarif' } });
    expect(run.code).toBe(1);
    expect(run.failure).toBe('1 finding at error level: no-auto-schema-sync (src/data-source.ts:6)');
    expect(run.annotations).toHaveLength(1);
    expect(run.annotations[0]).toMatchObject({
      command: 'error',
      properties: { file: 'src/data-source.ts', line: '6', col: '3', endLine: '6', endColumn: '20', title: 'dbguard/no-auto-schema-sync' },
    });
    expect(run.annotations[0]!.message).toMatch(SYNC_MESSAGE);
    expect(run.annotations[0]!.message).toMatch(/\nhttps:\/\/github\.com\/dbguard\/eslint-plugin-dbguard\/blob\/v[\d.]+\/rules\/no-auto-schema-sync\/README\.md$/);
    expect(run.outputs).toEqual({ findings: '1', errors: '1', warnings: '0', 'sarif-file': 'dbguard.sarif' });
    expect(run.summary).toContain('**✖ 1 problem** (1 error, 0 warnings) in 2 files.');
    expect(run.summary).toMatch(/\| ❌ error \| \[no-auto-schema-sync\]\(https:\/\/github\.com\/dbguard\/eslint-plugin-dbguard\/blob\/v[\d.]+\/rules\/no-auto-schema-sync\/README\.md\) \| `src\/data-source\.ts:6` \| `synchronize: true` makes TypeORM/);
    expect(run.summary).toContain('ESLint: not run, the repository has no ESLint flat config (eslint.config.*).');
    const results = readSarif(run).runs[0]!.results!;
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ruleId: 'no-auto-schema-sync', level: 'error' });
    expect(results[0]!.locations![0]!.physicalLocation).toMatchObject({ artifactLocation: { uri: 'src/data-source.ts' }, region: { startLine: 6, startColumn: 3 } });
  });

  it('does not report a finding that existed before the pull request (only-changed: true)', async () => {
    const repo = pullRequestRepo({ 'src/server.ts': SERVER('') }, { 'src/server.ts': SERVER("  console.log('started');\n"), 'src/math.ts': MATH });
    const changedOnly = await runAction(repo, { inputs: { 'only-changed': 'true' } });
    expect(changedOnly.code).toBe(0);
    expect(changedOnly.annotations).toEqual([]);
    expect(changedOnly.outputs.findings).toBe('0');
    expect(changedOnly.summary).toContain(`Only lines this pull request adds or changes (since ${repo.base.slice(0, 12)}) are reported; 1 finding elsewhere is not shown.`);

    // The finding is there: the whole repository is reported when asked, and on push events.
    for (const run of [await runAction(repo, { inputs: { 'only-changed': 'false' } }), await runAction(repo, { event: 'push' })]) {
      expect(run.code).toBe(1);
      expect(run.annotations.map((a) => [a.properties.file, a.properties.line, a.properties.title])).toEqual([['src/server.ts', '5', 'dbguard/no-destructive-schema-call']]);
    }
  });

  it('passes with findings under fail-on: never, still annotating and counting them', async () => {
    const run = await runAction(synchronizePullRequest(), { inputs: { 'fail-on': 'never' } });
    expect(run.code).toBe(0);
    expect(run.failure).toBeUndefined();
    expect(run.annotations.map((a) => a.properties.title)).toEqual(['dbguard/no-auto-schema-sync']);
    expect(run.outputs).toMatchObject({ findings: '1', errors: '1', warnings: '0', 'sarif-file': '' });
  });

  it('leaves annotations and the summary out when asked to', async () => {
    const run = await runAction(synchronizePullRequest(), { inputs: { annotations: 'false', summary: 'false' } });
    expect(run.code).toBe(1);
    expect(run.annotations).toEqual([]);
    expect(run.summary).toBe('');
    expect(run.failure).toMatch(/^1 finding at error level/);
  });

  it('counts baselined and suppressed findings in the summary instead of reporting them', async () => {
    const repo = synchronizePullRequest({ 'dbguard-baseline.json': '{ "src/data-source.ts": { "no-auto-schema-sync": { "count": 1 } } }\n' });
    writeFiles(repo.dir, { 'src/server.ts': SERVER('').replace('  await AppDataSource.dropDatabase();', '  // dbguard-ignore-next-line no-destructive-schema-call -- dev-only reset script\n  await AppDataSource.dropDatabase();') });
    const run = await runAction(repo, { inputs: { baseline: 'dbguard-baseline.json', 'sarif-file': 'dbguard.sarif' } });
    expect(run.code).toBe(0);
    expect(run.annotations).toEqual([]);
    expect(run.outputs).toMatchObject({ findings: '0', errors: '0' });
    expect(run.summary).toContain('Not shown: 1 suppressed in source, 1 in the baseline.');
    const results = readSarif(run).runs[0]!.results!;
    expect(results.map((r) => [r.ruleId, r.suppressions?.[0]?.kind])).toEqual([
      ['no-auto-schema-sync', 'external'],
      ['no-destructive-schema-call', 'inSource'],
    ]);
  });

  it('runs in working-directory but names files from the repository root', async () => {
    const repo = pullRequestRepo(
      { 'services/api/package.json': '{ "name": "api" }\n', 'services/api/src/data-source.ts': DATA_SOURCE('false') },
      { 'services/api/src/data-source.ts': DATA_SOURCE('true') },
    );
    const run = await runAction(repo, { inputs: { 'working-directory': 'services/api', paths: 'src', 'sarif-file': 'out/dbguard.sarif' } });
    expect(run.code).toBe(1);
    expect(run.failure).toBe('1 finding at error level: no-auto-schema-sync (services/api/src/data-source.ts:6)');
    expect(run.annotations.map((a) => [a.properties.file, a.properties.line])).toEqual([['services/api/src/data-source.ts', '6']]);
    expect(run.outputs['sarif-file']).toBe('services/api/out/dbguard.sarif');
    expect(readSarif(run).runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('services/api/src/data-source.ts');
  });

  describe('with ESLint installed in the workspace', () => {
    /** ESLint and typescript-eslint's parser "installed" (linked from this repository), the config committed in the base. */
    function withEslint(config: string, base: Files, head: Files): Repo {
      const repo = pullRequestRepo({ 'eslint.config.mjs': config, ...base }, head);
      const modules = join(repo.dir, 'node_modules');
      mkdirSync(join(modules, '@typescript-eslint'), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules/eslint'), join(modules, 'eslint'), 'dir');
      symlinkSync(join(ROOT, 'node_modules/@typescript-eslint/parser'), join(modules, '@typescript-eslint/parser'), 'dir');
      return repo;
    }
    const eslintVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules/eslint/package.json'), 'utf8')) as { version: string }).version;

    it("lints with dbguard's rules when the repository's config has none, and reports each finding once", async () => {
      const repo = withEslint("export default [{ rules: { 'no-debugger': 'error' } }];\n", { 'src/data-source.ts': DATA_SOURCE('false') }, { 'src/data-source.ts': DATA_SOURCE('true') });
      const run = await runAction(repo);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(1);
      expect(run.annotations.map((a) => [a.properties.file, a.properties.line, a.properties.title])).toEqual([['src/data-source.ts', '6', 'dbguard/no-auto-schema-sync']]);
      expect(run.summary).toContain(`ESLint ${eslintVersion}: linted 2 files with dbguard's rules. 1 finding, 1 also found by the scanner.`);
    });

    it("uses the repository's own config when it turns on a dbguard rule", async () => {
      // A stand-in plugin under the `dbguard` namespace: its finding can only come from the repository's config.
      const config = `const plugin = { rules: { 'no-destructive-schema-call': {
  meta: { type: 'problem', messages: { found: 'reported by the repository config' }, schema: [] },
  create: (context) => ({ Identifier(node) { if (node.name === 'marker') context.report({ node, messageId: 'found' }); } }),
} } };
export default [{ plugins: { dbguard: plugin }, rules: { 'dbguard/no-destructive-schema-call': 'warn' } }];
`;
      const repo = withEslint(config, { 'src/math.ts': MATH }, { 'src/marker.js': 'export const marker = 1;\n' });
      const run = await runAction(repo);
      expect(run.code).toBe(0);
      expect(run.annotations).toEqual([
        { command: 'warning', properties: expect.objectContaining({ file: 'src/marker.js', line: '1', col: '14', title: 'dbguard/no-destructive-schema-call' }), message: expect.stringMatching(/^reported by the repository config\n/) },
      ]);
      expect(run.outputs).toMatchObject({ findings: '1', errors: '0', warnings: '1' });
      expect(run.summary).toContain(`ESLint ${eslintVersion}: linted 2 files with the repository's eslint.config.mjs. 1 finding, 0 also found by the scanner.`);
    });
  });

  describe('fails the step naming the input', () => {
    const repo = () => synchronizePullRequest({ 'docs/README.md': '# Docs\n' });

    it.each([
      [{ 'fail-on': 'sometimes' }, 'Input "fail-on" must be error, warning or never, got "sometimes"'],
      [{ config: 'missing.json' }, 'Input "config" names a file that does not exist: missing.json'],
      [{ paths: 'src nope' }, 'Input "paths" matches nothing: nope'],
      [{ paths: 'docs' }, 'Input "paths" matches no file dbguard reads'],
      [{ eslint: 'true' }, 'Input "eslint" is "true", but ESLint is not installed'],
    ])('%o', async (inputs, message) => {
      const run = await runAction(repo(), { inputs });
      expect(run.code).toBe(1);
      expect(run.failure?.startsWith(message), run.failure).toBe(true);
      expect(run.annotations).toEqual([]);
      expect(run.outputs).toEqual({});
    });

    it('only-changed when the base commit is not in the clone', async () => {
      const shallow = repo();
      shallow.base = 'f'.repeat(40);
      const run = await runAction(shallow);
      expect(run.code).toBe(1);
      expect(run.failure).toMatch(/^Input "only-changed" needs the pull request's base commit ffffffffffff in the clone .*fetch-depth: 0/);
    });
  });
});

describe('merging and failing (pure parts of the Action)', () => {
  const finding = (overrides: Partial<ReportedFinding>): ReportedFinding => ({
    ruleId: 'no-auto-schema-sync',
    severity: 'error',
    file: 'src/data-source.ts',
    line: 6,
    column: 3,
    endLine: 6,
    endColumn: 20,
    message: 'm',
    messageId: 'synchronize',
    engines: ['scanner'],
    fingerprint: 'a'.repeat(64),
    sourceLine: '  synchronize: true,',
    ...overrides,
  });

  it('merges by rule and position, or by fingerprint, and keeps what only one engine saw', async () => {
    const scanner = [finding({}), finding({ line: 9, fingerprint: 'b'.repeat(64) })];
    const eslint = [
      finding({ engines: ['eslint'], fingerprint: 'c'.repeat(64) }),
      finding({ engines: ['eslint'], line: 9, column: 4, fingerprint: 'b'.repeat(64) }),
      finding({ engines: ['eslint'], line: 12, fingerprint: 'd'.repeat(64) }),
      finding({ engines: ['eslint'], ruleId: 'no-destructive-sql', fingerprint: 'e'.repeat(64) }),
    ];
    const merged = mergeFindings(scanner, eslint);
    expect(merged.map((f) => [f.ruleId, f.line, f.column, f.engines])).toEqual([
      ['no-auto-schema-sync', 6, 3, ['scanner', 'eslint']],
      ['no-destructive-sql', 6, 3, ['eslint']],
      ['no-auto-schema-sync', 9, 3, ['scanner', 'eslint']],
      ['no-auto-schema-sync', 12, 3, ['eslint']],
    ]);
    expect(scanner[0]!.engines).toEqual(['scanner']);
  });

  it('fails on unsuppressed findings at or above fail-on, naming them most severe first', async () => {
    const result: AuditResult = {
      cwd: '/repo',
      findings: [finding({ severity: 'warning', line: 2 }), finding({ line: 6 }), finding({ line: 7, suppressed: { kind: 'baseline', justification: '' } })],
      diagnostics: [],
      summary: { files: 1, errors: 1, warnings: 1, suppressed: 1, skipped: 0, durationMs: 1 },
    };
    const warningsOnly = { ...result, findings: [result.findings[0]!] };
    expect(failingFindings(result, 'error').map((f) => f.line)).toEqual([6]);
    expect(failingFindings(result, 'warning').map((f) => f.line)).toEqual([6, 2]);
    expect(failingFindings(result, 'never')).toEqual([]);
    expect(failingFindings(warningsOnly, 'error')).toEqual([]);
    expect(failingFindings(warningsOnly, 'warning').map((f) => f.line)).toEqual([2]);
    expect(failureReason(failingFindings(result, 'warning'), 'warning')).toBe(
      '2 findings at warning level or above: no-auto-schema-sync (src/data-source.ts:6), no-auto-schema-sync (src/data-source.ts:2)',
    );
  });

  it('re-expresses paths from the repository root when working-directory is a sub-folder', async () => {
    const result: AuditResult = { cwd: '/repo/api', findings: [finding({})], diagnostics: [{ file: 'db/x.sql', message: 'm', kind: 'parse-error', severity: 'error' }], summary: { files: 1, errors: 1, warnings: 0, suppressed: 0, skipped: 0, durationMs: 1 } };
    const rebased = rebaseResult(result, '/repo');
    expect(rebased.cwd).toBe('/repo');
    expect(rebased.findings[0]!.file).toBe('api/src/data-source.ts');
    expect(rebased.diagnostics[0]!.file).toBe('api/db/x.sql');
  });

  it('splits paths on lines and spaces, keeping a line that names an existing path whole', async () => {
    const dir = tempDir('dbguard-paths-');
    mkdirSync(join(dir, 'my app'));
    expect(splitPaths('src lib\nmy app\n\n  scripts  ', dir)).toEqual(['src', 'lib', 'my app', 'scripts']);
    expect(existsSync(join(dir, 'my app'))).toBe(true);
  });
});
