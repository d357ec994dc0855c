import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runNode } from './support/process.js';

// The real bin, as built by `npm run build` (which `npm test` runs first).
const BIN = join(import.meta.dirname, '..', 'lib', 'src', 'cli', 'main.js');

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function repo(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'dbguard-cli-'));
  roots.push(root);
  writeFileSync(join(root, 'package.json'), '{"name":"sample","private":true}\n');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

function run(cwd: string, ...args: string[]) {
  return runWithEnv(cwd, {}, ...args);
}

function runWithEnv(cwd: string, env: Record<string, string>, ...args: string[]) {
  return runNode([BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1', CI: '1', TIMING: '', ...env } });
}

const DROP = "import { DataSource } from 'typeorm';\nconst ds = new DataSource({ type: 'postgres' });\nexport async function start() {\n  await ds.dropDatabase();\n}\n";
const CLEAN = "export function add(a: number, b: number) {\n  return a + b;\n}\n";

describe('dbguard audit: exit codes and formats', () => {
  it('exits 0 and says so on a clean repository', async () => {
    const root = repo({ 'src/add.ts': CLEAN });
    const { code, stdout, stderr } = await run(root, 'audit');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/no problems/i);
  });

  it('exits 1 with file, line, column, rule and docs link in stylish output', async () => {
    const root = repo({ 'src/server.ts': DROP });
    const { code, stdout } = await run(root, 'audit');
    expect(code).toBe(1);
    expect(stdout).toContain('src/server.ts');
    expect(stdout).toMatch(/4:9\s+error\s+`ds\.dropDatabase\(\)` drops the whole database/);
    expect(stdout).toContain('no-destructive-schema-call');
    expect(stdout).toContain('rules/no-destructive-schema-call/README.md');
  });

  it('json follows the documented contract', async () => {
    const root = repo({ 'src/server.ts': DROP });
    const { code, stdout } = await run(root, 'audit', '--format', 'json');
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(json.version).toBe(1);
    expect(json.findings).toHaveLength(1);
    expect(json.findings[0]).toMatchObject({ ruleId: 'no-destructive-schema-call', severity: 'error', file: 'src/server.ts', line: 4, column: 9, endLine: 4, endColumn: 26, engine: 'scanner' });
    expect(json.findings[0].fingerprint).toMatch(/^[0-9a-f]{16,}$/);
    expect(json.summary).toMatchObject({ files: 2, errors: 1, warnings: 0, suppressed: 0 });
    expect(typeof json.summary.durationMs).toBe('number');
  });

  it('sarif, github and markdown formats are produced; --output-file writes instead of printing', async () => {
    const root = repo({ 'src/server.ts': DROP });
    const sarif = JSON.parse((await run(root, 'audit', '-f', 'sarif')).stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results[0].ruleId).toBe('no-destructive-schema-call');
    expect((await run(root, 'audit', '-f', 'github')).stdout).toMatch(/^::error file=src\/server\.ts,line=4,col=9,/m);
    expect((await run(root, 'audit', '-f', 'markdown')).stdout).toContain('| Severity |');
    const written = await run(root, 'audit', '-f', 'json', '-o', 'out/report.json');
    expect(written.code).toBe(1);
    expect(written.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(root, 'out/report.json'), 'utf8')).findings).toHaveLength(1);
  });

  it('--fail-on decides the exit code', async () => {
    const root = repo({ 'src/server.ts': "await sequelize.sync({ force: process.env.RESET === 'true' });\n" });
    expect((await run(root, 'audit')).code).toBe(0);
    expect((await run(root, 'audit', '--fail-on', 'warning')).code).toBe(1);
    expect((await run(root, 'audit', '--fail-on', 'never', '--format', 'json')).code).toBe(0);
  });

  it('TIMING=1 prints each phase to stderr and leaves the report alone', async () => {
    const root = repo({ 'src/server.ts': DROP });
    const plain = await run(root, 'audit', '-f', 'json');
    const timed = await runWithEnv(root, { TIMING: '1' }, 'audit', '-f', 'json');
    expect(timed.code).toBe(1);
    expect(JSON.parse(timed.stdout).findings).toEqual(JSON.parse(plain.stdout).findings);
    expect(plain.stderr).toBe('');
    const phases = timed.stderr.split('\n').slice(2, -1).map((row) => row.split('|')[0]!.trim());
    expect(phases).toEqual(['discover & read (2 threads)', 'imports', 'js/ts', 'python', 'sql', 'scripts & env', 'whole-repo', 'report']);
    expect(timed.stderr).toMatch(/^Phase +\| Time \(ms\) \| Relative\n/);
  });

  it('--quiet hides warnings', async () => {
    const root = repo({ 'src/server.ts': "await sequelize.sync({ force: process.env.RESET === 'true' });\n" });
    expect(JSON.parse((await run(root, 'audit', '-f', 'json', '--quiet')).stdout).findings).toEqual([]);
  });
});

describe('dbguard audit: usage and config errors exit 2 and name the culprit', () => {
  it.each([
    [['audit', '--format', 'xml'], /--format: unknown format "xml" \(available: stylish, json, sarif, github, markdown\)/],
    [['audit', '--fail-on', 'sometimes'], /--fail-on: expected error, warning or never, got "sometimes"/],
    [['audit', '--bogus'], /Unknown option '--bogus'/],
    [['audit', 'does-not-exist'], /no such file or directory: does-not-exist/],
    [['lint'], /unknown command "lint"/],
    [['audit', '--update-baseline'], /--update-baseline needs --baseline/],
  ])('%j', async (args, message) => {
    const root = repo({ 'src/a.ts': CLEAN });
    const { code, stderr, stdout } = await run(root, ...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it.each([
    [{ rules: { 'no-such-rule': 'error' } }, /dbguard\.config\.json: "rules\.no-such-rule" is not a dbguard rule/],
    [{ rules: { 'no-destructive-sql': 'loud' } }, /"rules\.no-destructive-sql" severity must be "off", "warn" or "error"/],
    [{ testFiles: 'test/**' }, /"testFiles" must be an array of strings/],
    [{ colour: true }, /"colour" is not a dbguard option/],
    [{ rules: { 'no-test-prod-database': ['error', { productionDatabases: 'kanban.db' }] } }, /"rules\.no-test-prod-database\[1\]\.productionDatabases" invalid option: must be array/],
  ])('config %j', async (config, message) => {
    const root = repo({ 'src/a.ts': CLEAN, 'dbguard.config.json': JSON.stringify(config) });
    const { code, stderr } = await run(root, 'audit');
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('invalid JSON in the config names the file', async () => {
    const root = repo({ 'src/a.ts': CLEAN, 'dbguard.config.json': '{ "rules": ' });
    const { code, stderr } = await run(root, 'audit');
    expect(code).toBe(2);
    expect(stderr).toMatch(/dbguard\.config\.json: is not valid JSON/);
  });

  it('package.json#dbguard is read when there is no dbguard.config.json', async () => {
    const root = repo({ 'src/server.ts': DROP });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'x', dbguard: { rules: { 'no-destructive-schema-call': 'warn' } } }));
    const json = JSON.parse((await run(root, 'audit', '-f', 'json')).stdout);
    expect(json.findings[0].severity).toBe('warning');
  });
});

describe('dbguard audit: bad input files are reported, never fatal', () => {
  it('a syntax error is a diagnostic with file and parser message; other files are still audited', async () => {
    // Only files some rule could match are parsed; this one mentions a database call.
    const root = repo({ 'src/broken.ts': 'export function (\n  db.dropDatabase();\n', 'src/server.ts': DROP });
    const { code, stdout } = await run(root, 'audit', '-f', 'json');
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(json.findings).toHaveLength(1);
    expect(json.diagnostics).toEqual([expect.objectContaining({ file: 'src/broken.ts', message: expect.stringMatching(/cannot parse, skipped: .*expected/i) })]);
  });

  it('binary, undecodable and huge files are skipped and counted; --verbose lists them', async () => {
    const root = repo({
      'src/image.ts': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
      'src/latin1.ts': Buffer.from([0x63, 0x6f, 0x6e, 0x73, 0x74, 0x20, 0xe9, 0x3d, 0x31, 0x3b]),
      'src/huge.ts': `// ${'x'.repeat(60)}\n`.repeat(10_000),
      'src/server.ts': DROP,
    });
    const quiet = JSON.parse((await run(root, 'audit', '-f', 'json')).stdout);
    expect(quiet.summary.skipped).toBe(3);
    expect(quiet.findings).toHaveLength(1);
    const verbose = JSON.parse((await run(root, 'audit', '-f', 'json', '--verbose')).stdout);
    const reasons = verbose.diagnostics.map((d: { file: string; message: string }) => `${d.file}: ${d.message}`).sort();
    expect(reasons).toEqual([
      expect.stringMatching(/^src\/huge\.ts: skipped: larger than 512 KB/),
      'src/image.ts: skipped: binary file',
      'src/latin1.ts: skipped: not valid UTF-8',
    ]);
  });

  it('symbolic links, including a loop, are skipped and counted, never followed', async () => {
    const root = repo({ 'src/server.ts': DROP });
    symlinkSync('server.ts', join(root, 'src/alias.ts'));
    symlinkSync('..', join(root, 'src/loop'));
    const { code, stdout } = await run(root, 'audit', '-f', 'json', '--verbose');
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(json.findings.map((f: { file: string }) => f.file)).toEqual(['src/server.ts']);
    expect(json.summary.skipped).toBe(1);
    expect(json.diagnostics).toEqual([expect.objectContaining({ file: 'src/alias.ts', message: 'skipped: symbolic link' })]);
  });

  it('--max-file-size raises the limit', async () => {
    const root = repo({ 'src/huge.ts': `${DROP}${`// ${'x'.repeat(60)}\n`.repeat(10_000)}` });
    expect((await run(root, 'audit', '--max-file-size', '1mb')).code).toBe(1);
  });
});

describe('dbguard audit: suppressions', () => {
  it('a suppression with a reason hides the finding from the exit code but keeps it in json, marked', async () => {
    const root = repo({ 'src/server.ts': DROP.replace('  await ds.dropDatabase();', '  // dbguard-ignore-next-line no-destructive-schema-call -- demo server, recreated nightly\n  await ds.dropDatabase();') });
    const { code, stdout } = await run(root, 'audit', '-f', 'json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.findings[0].suppressed).toEqual({ kind: 'inline', justification: 'demo server, recreated nightly' });
    expect(json.summary).toMatchObject({ errors: 0, suppressed: 1 });
  });

  it('a suppression without a reason suppresses nothing and is reported', async () => {
    const root = repo({ 'src/server.ts': DROP.replace('  await ds.dropDatabase();', '  // dbguard-ignore-next-line no-destructive-schema-call\n  await ds.dropDatabase();') });
    const { code, stdout } = await run(root, 'audit', '-f', 'json');
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(json.findings[0].suppressed).toBeUndefined();
    expect(json.diagnostics[0].message).toMatch(/needs a reason/);
  });

  it('an unused suppression is reported as a warning', async () => {
    const root = repo({ 'src/a.ts': `// dbguard-ignore-next-line no-destructive-sql -- legacy\n${CLEAN}` });
    const json = JSON.parse((await run(root, 'audit', '-f', 'json')).stdout);
    expect(json.diagnostics).toEqual([expect.objectContaining({ file: 'src/a.ts', line: 1, severity: 'warning', message: expect.stringMatching(/unused dbguard-ignore-next-line/) })]);
  });

  it('eslint-disable-next-line dbguard/<id> is honoured, as in ESLint', async () => {
    const root = repo({ 'src/server.ts': DROP.replace('  await ds.dropDatabase();', '  // eslint-disable-next-line dbguard/no-destructive-schema-call -- demo\n  await ds.dropDatabase();') });
    const json = JSON.parse((await run(root, 'audit', '-f', 'json')).stdout);
    expect(json.findings[0].suppressed).toEqual({ kind: 'eslint-directive', justification: 'demo' });
  });

  it('sarif keeps suppressed results with their justification', async () => {
    const root = repo({ 'src/server.ts': DROP.replace('  await ds.dropDatabase();', '  // dbguard-ignore-next-line no-destructive-schema-call -- demo server\n  await ds.dropDatabase();') });
    const sarif = JSON.parse((await run(root, 'audit', '-f', 'sarif')).stdout);
    expect(sarif.runs[0].results[0].suppressions).toEqual([{ kind: 'inSource', justification: 'demo server' }]);
  });
});

describe('dbguard audit: baseline', () => {
  it('--update-baseline writes counts; the baseline then hides them; new ones still fail; stale entries are reported', async () => {
    const root = repo({ 'src/server.ts': DROP });
    const written = await run(root, 'audit', '--baseline', 'baseline.json', '--update-baseline');
    expect(written.code).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'baseline.json'), 'utf8'))).toEqual({ 'src/server.ts': { 'no-destructive-schema-call': { count: 1 } } });
    expect((await run(root, 'audit', '--baseline', 'baseline.json')).code).toBe(0);

    writeFileSync(join(root, 'src/other.ts'), DROP);
    const withNew = JSON.parse((await run(root, 'audit', '--baseline', 'baseline.json', '-f', 'json')).stdout);
    expect(withNew.findings.filter((f: { suppressed?: unknown }) => !f.suppressed).map((f: { file: string }) => f.file)).toEqual(['src/other.ts']);

    writeFileSync(join(root, 'src/server.ts'), CLEAN);
    writeFileSync(join(root, 'src/other.ts'), CLEAN);
    const stale = JSON.parse((await run(root, 'audit', '--baseline', 'baseline.json', '-f', 'json')).stdout);
    expect(stale.diagnostics).toEqual([expect.objectContaining({ file: 'src/server.ts', message: expect.stringMatching(/baseline lists 1 more no-destructive-schema-call finding than remain/) })]);
  });

  it('a missing baseline file is a usage error', async () => {
    const root = repo({ 'src/a.ts': CLEAN });
    const { code, stderr } = await run(root, 'audit', '--baseline', 'nope.json');
    expect(code).toBe(2);
    expect(stderr).toMatch(/nope\.json: baseline file does not exist/);
  });
});

describe('dbguard audit --changed-since', () => {
  it('reports only findings on lines the branch added, in a two-commit repository', async () => {
    const root = repo({ 'src/old.ts': DROP, 'src/server.ts': CLEAN });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'base');
    git('checkout', '-qb', 'feature');
    writeFileSync(join(root, 'src/server.ts'), `${CLEAN}export async function reset(ds: any) {\n  await ds.dropDatabase();\n}\n`);
    git('commit', '-qam', 'add reset');
    const json = JSON.parse((await run(root, 'audit', '--changed-since', 'main', '-f', 'json')).stdout);
    expect(json.findings.map((f: { file: string; line: number }) => `${f.file}:${f.line}`)).toEqual(['src/server.ts:5']);
    expect((await run(root, 'audit', '--changed-since', 'no-such-ref')).stderr).toMatch(/--changed-since: git merge-base failed/);
  });
});

describe('dbguard audit --cache', () => {
  it('a warm run gives the same findings, and a changed file is re-analysed', async () => {
    const root = repo({ 'src/server.ts': DROP, 'src/a.ts': CLEAN });
    const cold = JSON.parse((await run(root, 'audit', '--cache', '-f', 'json')).stdout);
    const warm = JSON.parse((await run(root, 'audit', '--cache', '-f', 'json')).stdout);
    expect(warm.findings).toEqual(cold.findings);
    expect(readFileSync(join(root, 'node_modules/.cache/dbguard/results.json'), 'utf8')).toContain('src/server.ts');
    writeFileSync(join(root, 'src/server.ts'), CLEAN);
    expect(JSON.parse((await run(root, 'audit', '--cache', '-f', 'json')).stdout).findings).toEqual([]);
  });

  it.each(['kanban-drop-all', 'restart-reseed', 'six-vm-migration-race', 'entry-points'])(
    'whole-repo findings of %s (imports, commands, cross-file paths) are the same warm, and follow an edit',
    async (name) => {
      const root = mkdtempSync(join(tmpdir(), 'dbguard-cli-'));
      roots.push(root);
      cpSync(join(import.meta.dirname, '..', 'fixtures', 'repos', name), root, { recursive: true });
      const audit = async () => JSON.parse((await run(root, 'audit', '--cache', '-f', 'json')).stdout).findings.map((f: { ruleId: string; file: string; line: number }) => `${f.ruleId} ${f.file}:${f.line}`);
      const cold = await audit();
      expect(cold.length).toBeGreaterThan(0);
      expect(await audit()).toEqual(cold);
      // The file of the first finding loses its content: the warm run must notice, from the cache's own key.
      const first = cold[0]!.split(' ')[1]!.split(':')[0]!;
      writeFileSync(join(root, first), '\n');
      expect((await audit()).filter((f: string) => f.includes(` ${first}:`))).toEqual([]);
    },
  );
});

describe('dbguard help, version, rules', () => {
  it('--help teaches: commands, exit codes, examples', async () => {
    const { code, stdout } = await run(tmpdir(), '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/dbguard audit \[paths\.\.\.\]/);
    expect(stdout).toMatch(/Exit codes: 0 .*1 .*2/);
  });

  it('audit --help lists every flag and format', async () => {
    const { stdout } = await run(tmpdir(), 'audit', '--help');
    for (const flag of ['--format', '--output-file', '--config', '--fail-on', '--ignore', '--max-file-size', '--cache', '--cache-location', '--baseline', '--update-baseline', '--changed-since', '--quiet', '--verbose']) expect(stdout).toContain(flag);
    for (const format of ['stylish', 'json', 'sarif', 'github', 'markdown']) expect(stdout).toContain(format);
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8'));
    expect((await run(tmpdir(), '--version')).stdout.trim()).toBe(pkg.version);
  });

  it('rules lists every rule with its docs link', async () => {
    const json = JSON.parse((await run(tmpdir(), 'rules', '--format', 'json')).stdout);
    expect(json.map((r: { id: string }) => r.id)).toContain('no-destructive-script');
    expect(json.every((r: { docs: string }) => r.docs.endsWith(`/README.md`))).toBe(true);
  });
});
