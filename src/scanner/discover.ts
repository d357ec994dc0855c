import { readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import fg from 'fast-glob';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';

export type InputKind =
  | 'typescript'
  | 'python'
  | 'sql'
  | 'package-json'
  | 'dockerfile'
  | 'compose'
  | 'shell'
  | 'procfile'
  | 'workflow'
  | 'env'
  | 'pytest-config';

export function kindOf(path: string): InputKind | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (/\.d\.[cm]?ts$/i.test(name)) return undefined;
  if (/\.[cm]?[jt]sx?$/i.test(name)) return 'typescript';
  if (/\.py$/i.test(name)) return 'python';
  if (/\.sql$/i.test(name)) return 'sql';
  if (name === 'package.json') return 'package-json';
  if (/^(?:Dockerfile|Containerfile)(?:[.-][\w.-]+)?$|\.dockerfile$/i.test(name)) return 'dockerfile';
  if (/^(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml$/i.test(name)) return 'compose';
  if (/(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) return 'workflow';
  if (/\.(?:sh|bash)$/i.test(name) || /^(?:docker-)?entrypoint$/i.test(name)) return 'shell';
  if (name === 'Procfile') return 'procfile';
  if (/^(?:pytest\.ini|tox\.ini|setup\.cfg|pyproject\.toml)$/.test(name)) return 'pytest-config';
  if (/^\.env(?:\.[\w.-]+)?$/.test(name) && !/\.(?:example|sample|template|dist)$/i.test(name)) return 'env';
  return undefined;
}

/** Always skipped: dependencies, VCS data, build outputs, virtualenvs, caches. */
export const ALWAYS_IGNORED = [
  '**/node_modules/**',
  '**/.git/**',
  '**/{dist,build,coverage,.next,.nuxt,out,.output,.turbo,.cache,.vercel,.svelte-kit}/**',
  '**/{vendor,vendors,third_party,bower_components}/**',
  '**/{.venv,venv,.tox,__pycache__,site-packages,.mypy_cache,.pytest_cache}/**',
  '**/*.min.{js,mjs,cjs}',
  '**/*.bundle.js',
  '**/*.d.{ts,mts,cts}',
];

const PATTERNS = [
  '**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts,py,sql,sh,bash}',
  '**/package.json',
  '**/{Dockerfile,Containerfile}',
  '**/{Dockerfile,Containerfile}.*',
  '**/*.dockerfile',
  '**/{docker-compose,compose}*.{yml,yaml}',
  '**/Procfile',
  '**/{entrypoint,docker-entrypoint}',
  '**/.env',
  '**/.env.*',
  '.github/workflows/*.{yml,yaml}',
  '**/{pytest.ini,tox.ini,setup.cfg,pyproject.toml}',
];

export interface DiscoveredFile {
  absolute: string;
  /** Relative to the project root, POSIX: what role globs match against. */
  path: string;
  kind: InputKind;
}

export interface SkippedFile {
  absolute: string;
  reason: string;
}

/** Nested `.gitignore` files apply to their own folder, as git does. */
function loadGitignores(root: string, files: readonly string[]): { dir: string; matcher: Ignore }[] {
  return files.map((file) => {
    const dir = dirname(resolve(root, file));
    return { dir, matcher: ignore().add(readFileSync(resolve(root, file), 'utf8')) };
  });
}

function isGitignored(absolute: string, gitignores: readonly { dir: string; matcher: Ignore }[]): boolean {
  for (const { dir, matcher } of gitignores) {
    if (!absolute.startsWith(dir) || absolute[dir.length] !== sep) continue;
    const rel = absolute.slice(dir.length + 1);
    if (matcher.ignores(sep === '/' ? rel : rel.split(sep).join('/'))) return true;
  }
  return false;
}

/**
 * Lists the files dbguard reads under each path, with fast-glob. Symbolic links are not followed
 * (no loops, no escaping the repository); `.gitignore` files are honoured; dot-folders such as
 * `.github/` and `.docker/` are included because entrypoints and workflows live there.
 */
export async function discoverFiles(root: string, paths: readonly string[], extraIgnores: readonly string[]): Promise<{ files: DiscoveredFile[]; skipped: SkippedFile[]; unmatched: string[] }> {
  const files = new Map<string, DiscoveredFile>();
  const skipped: SkippedFile[] = [];
  const unmatched: string[] = [];
  const userIgnored = picomatch(extraIgnores.length > 0 ? [...extraIgnores] : ['\0'], { dot: true });
  for (const input of paths) {
    const absoluteInput = resolve(input);
    let stats;
    try {
      stats = statSync(absoluteInput);
    } catch {
      unmatched.push(input);
      continue;
    }
    const base = stats.isDirectory() ? absoluteInput : dirname(absoluteInput);
    // Directory entries say what each is, so nothing is stat'ed here; sizes are checked when read.
    const entries = stats.isDirectory()
      ? (await fg([...PATTERNS, '**/.gitignore'], { cwd: base, dot: true, ignore: ALWAYS_IGNORED, followSymbolicLinks: false, onlyFiles: false, objectMode: true, suppressErrors: true, caseSensitiveMatch: true }))
          .filter((e) => e.dirent.isFile() || e.dirent.isSymbolicLink())
          .map((e) => ({ path: e.path, symlink: e.dirent.isSymbolicLink() }))
      : [{ path: relative(base, absoluteInput).split(sep).join('/'), symlink: false }];
    const gitignoreFiles = entries.filter((e) => e.path.endsWith('.gitignore') && !e.symlink).map((e) => e.path);
    // The root's own .gitignore applies when auditing a sub-folder.
    const rootGitignore = join(root, '.gitignore');
    const gitignores = loadGitignores(base, gitignoreFiles);
    if (base !== root && base.startsWith(root + sep)) {
      try {
        gitignores.push({ dir: root, matcher: ignore().add(readFileSync(rootGitignore, 'utf8')) });
      } catch {
        // no root .gitignore
      }
    }
    for (const entry of entries) {
      if (entry.path.endsWith('.gitignore')) continue;
      const absolute = join(base, entry.path);
      const path = relative(root, absolute).split(sep).join('/');
      const kind = kindOf(path) ?? (stats.isFile() ? kindOf(`/${entry.path}`) : undefined);
      if (!kind) continue;
      if (stats.isDirectory() && isGitignored(absolute, gitignores)) continue;
      if (userIgnored(path) || userIgnored(entry.path)) continue;
      if (entry.symlink) {
        skipped.push({ absolute, reason: 'symbolic link' });
        continue;
      }
      files.set(absolute, { absolute, path, kind });
    }
  }
  return { files: [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), skipped, unmatched };
}
