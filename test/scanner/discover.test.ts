import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import ignore from 'ignore';
import { anyPatternMatcher, discoverFiles, hasTopLevelAlternative, lastPartPattern } from '../../src/scanner/discover.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dbguard-discover-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

async function listed(root: string, paths: string[] = ['.'], ignores: string[] = []): Promise<string[]> {
  const { files } = await discoverFiles(root, paths.map((p) => join(root, p)), ignores);
  return files.map((f) => `${f.path} ${f.kind}`);
}

describe('discoverFiles', () => {
  it('lists what dbguard reads, dot-folders included, and never dependencies, build outputs, bundles or declarations', async () => {
    const root = tree({
      'src/server.ts': '',
      'src/legacy.cjs': '',
      'src/types.d.ts': '',
      'src/vendor.min.js': '',
      'src/app.bundle.js': '',
      'src/README.md': '',
      'node_modules/pg/index.js': '',
      'packages/api/node_modules/x/index.js': '',
      'dist/server.js': '',
      'packages/api/build/server.js': '',
      '.venv/lib/site.py': '',
      '.history/src/server_20240101120000.ts': '',
      'app/.lh/models.py': '',
      'app/models.py': '',
      'db/schema.sql': '',
      'package.json': '{}',
      'docker/Dockerfile.prod': '',
      'docker/api.dockerfile': '',
      '.docker/entrypoint.sh': '',
      'compose.yaml': '',
      'Procfile': '',
      '.github/workflows/deploy.yml': '',
      'packages/api/.github/workflows/ci.yml': '',
      '.env': '',
      '.env.test': '',
      '.env.example': '',
      'pytest.ini': '',
    });
    expect(await listed(root)).toEqual([
      '.docker/entrypoint.sh shell',
      '.env env',
      '.env.test env',
      '.github/workflows/deploy.yml workflow',
      'Procfile procfile',
      'app/models.py python',
      'compose.yaml compose',
      'db/schema.sql sql',
      'docker/Dockerfile.prod dockerfile',
      'docker/api.dockerfile dockerfile',
      'package.json package-json',
      'pytest.ini pytest-config',
      'src/legacy.cjs typescript',
      'src/server.ts typescript',
    ]);
  });

  it('honours .gitignore files in their own folder, as git does, with negations and ignored folders that cannot be re-included', async () => {
    const root = tree({
      '.gitignore': 'generated/\n!generated/keep.ts\n*.local.ts\n/top-only.ts\n',
      'generated/client.ts': '',
      'generated/keep.ts': '',
      'src/config.local.ts': '',
      'src/top-only.ts': '',
      'top-only.ts': '',
      'packages/api/.gitignore': '*.gen.ts\n!keep.gen.ts\ntmp/\n',
      'packages/api/a.gen.ts': '',
      'packages/api/keep.gen.ts': '',
      'packages/api/tmp/scratch.ts': '',
      'packages/web/a.gen.ts': '',
    });
    expect(await listed(root)).toEqual([
      'packages/api/keep.gen.ts typescript',
      'packages/web/a.gen.ts typescript',
      'src/top-only.ts typescript',
    ]);
  });

  it('applies the .gitignore files above an audited sub-folder, and --ignore globs relative to the root', async () => {
    const root = tree({
      '.gitignore': '*.local.ts\n',
      'packages/.gitignore': 'fixtures/\n',
      'packages/api/server.ts': '',
      'packages/api/config.local.ts': '',
      'packages/api/fixtures/seed.ts': '',
      'packages/api/scripts/reset.ts': '',
    });
    expect(await listed(root, ['packages/api'], ['packages/api/scripts/**'])).toEqual(['packages/api/server.ts typescript']);
  });

  it('reads nothing in an audited folder whose parent folder a .gitignore above it ignores, as git would', async () => {
    const root = tree({ '.gitignore': 'generated/\n', 'generated/api/client.ts': '', 'generated/api/v1/types.ts': '', 'src/app.ts': '' });
    expect(await listed(root, ['generated/api'])).toEqual([]);
    expect(await listed(root, ['generated/api', 'src'])).toEqual(['src/app.ts typescript']);
  });

  it('reads a file named explicitly whatever its folder or ignore files say, and reports paths that do not exist', async () => {
    const root = tree({ '.gitignore': 'generated/\n', 'generated/client.ts': '', 'dist/server.js': '' });
    expect(await listed(root, ['generated/client.ts', 'dist/server.js'])).toEqual(['dist/server.js typescript', 'generated/client.ts typescript']);
    const missing = join(root, 'nope');
    expect((await discoverFiles(root, [missing], [])).unmatched).toEqual([missing]);
  });

  it('skips and counts symbolic links dbguard would read, and never follows a folder link (no loops)', async () => {
    const root = tree({ 'src/server.ts': '' });
    symlinkSync('server.ts', join(root, 'src/alias.ts'));
    symlinkSync('..', join(root, 'src/loop'));
    const { files, skipped } = await discoverFiles(root, [root], []);
    expect(files.map((f) => f.path)).toEqual(['src/server.ts']);
    expect(skipped).toEqual([{ absolute: join(root, 'src/alias.ts'), reason: 'symbolic link' }]);
  });
});

describe('anyPatternMatcher', () => {
  const gitignore = [
    'dist', '/top-only.ts', 'build/', '*.local.ts', '!keep.local.ts', 'generated/**', '!generated/keep.ts',
    'docs/*.md', '**/tmp', 'a/**/b', 'report.[0-9]*.json', '\\#hash', '.env*', 'Logs', '*.log', 'npm-debug.log*', '*cache*', 'tmp-*/',
  ].join('\n');
  const matcher = ignore().add(gitignore);
  const mayMatch = anyPatternMatcher(matcher);
  const paths = [
    'dist', 'dist/', 'src/dist/', 'top-only.ts', 'src/top-only.ts', 'build/', 'build', 'src/build/', 'a.local.ts', 'src/keep.local.ts',
    'generated/', 'generated/x.ts', 'generated/keep.ts', 'docs/a.md', 'docs/sub/a.md', 'x/tmp/', 'x/tmp', 'a/b', 'a/x/y/b',
    'report.1.json', 'report.x.json', '#hash', '.env', '.env.test', 'src/.envrc', 'logs/', 'LOGS/', 'src/server.ts', 'package.json', 'src/',
    'a/b.log', 'a/b.LOG', 'a/b.log/', 'a.log.txt', 'npm-debug.log.1', 'x/npm-debug.log', 'my-cache-dir/', 'Cache', 'tmp-1/', 'tmp-1',
  ];

  it('is never false where ignore() matches a pattern: a path it clears is not ignored', () => {
    for (const path of paths) if (matcher.ignores(path)) expect(mayMatch(path), path).toBe(true);
  });

  it('clears the paths no pattern can match without asking ignore(), with the ignore package installed', () => {
    // Fails if a new version of ignore keeps its compiled patterns elsewhere: the walk would still
    // be right, but a third slower on a large repository.
    // Each is a near miss of one pattern: anchored elsewhere, a file for a folder pattern, the folder
    // of its own `/**`, one level too deep, no digit.
    expect(paths.filter((p) => !mayMatch(p))).toEqual(['src/top-only.ts', 'build', 'generated/', 'docs/sub/a.md', 'report.x.json', 'src/server.ts', 'package.json', 'src/', 'a.log.txt', 'tmp-1']);
  });

  it("reads a name, with or without a * at one end, from ignore's compiled pattern, and nothing else", () => {
    // Fails if ignore compiles these differently: the walk would still be right, only slower.
    const compiled = (line: string) => (ignore().add(line) as unknown as { _rules: { _rules: { regex: RegExp }[] } })._rules._rules[0]!.regex.source;
    expect(lastPartPattern(compiled('dist'))).toEqual({ kind: 'name', text: 'dist', folderOnly: false });
    expect(lastPartPattern(compiled('.turbo'))).toEqual({ kind: 'name', text: '.turbo', folderOnly: false });
    expect(lastPartPattern(compiled('build/'))).toEqual({ kind: 'name', text: 'build', folderOnly: true });
    expect(lastPartPattern(compiled('\\#hash'))).toEqual({ kind: 'name', text: '#hash', folderOnly: false });
    expect(lastPartPattern(compiled('*.log'))).toEqual({ kind: 'suffix', text: '.log', folderOnly: false });
    expect(lastPartPattern(compiled('npm-debug.log*'))).toEqual({ kind: 'prefix', text: 'npm-debug.log', folderOnly: false });
    expect(lastPartPattern(compiled('cmake-build-*/'))).toEqual({ kind: 'prefix', text: 'cmake-build-', folderOnly: true });
    expect(lastPartPattern(compiled('*cache*'))).toEqual({ kind: 'infix', text: 'cache', folderOnly: false });
    for (const line of ['*', 'docs/*.md', '/top-only.ts', 'x+y', 'a/**/b', 'report.[0-9]*.json', '[Dd]esktop.ini']) expect(lastPartPattern(compiled(line)), line).toBeUndefined();
  });

  it('tells an alternative of the whole expression from one inside a group or a class', () => {
    expect(hasTopLevelAlternative('^a|b')).toBe(true);
    expect(hasTopLevelAlternative('^a(?=$|\\/$)')).toBe(false);
    expect(hasTopLevelAlternative('^a[|]b')).toBe(false);
    expect(hasTopLevelAlternative('^a\\|b')).toBe(false);
  });

  it('takes names in any case when ignore does, and in their own case when it does not', () => {
    expect(anyPatternMatcher(ignore().add('Logs'))('src/LOGS/')).toBe(true);
    expect(anyPatternMatcher(ignore({ ignorecase: false }).add('Logs'))('src/LOGS/')).toBe(false);
    expect(anyPatternMatcher(ignore({ ignorecase: false }).add('Logs'))('src/Logs')).toBe(true);
  });

  it('matches nothing for a .gitignore of comments and blank lines', () => {
    expect(anyPatternMatcher(ignore().add('# only a comment\n\n'))('src/server.ts')).toBe(false);
  });
});

