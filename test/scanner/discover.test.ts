import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/scanner/discover.js';

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
