import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { walkSync } from '@nodelib/fs.walk';
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
  | 'pytest-config'
  | 'orm-config';

export function kindOf(path: string): InputKind | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (/\.d\.[cm]?ts$/i.test(name)) return undefined;
  if (/\.[cm]?[jt]sx?$/i.test(name)) return 'typescript';
  if (/\.py$/i.test(name)) return 'python';
  if (/\.sql$/i.test(name)) return 'sql';
  if (name === 'package.json') return 'package-json';
  if (/^(?:Dockerfile|Containerfile)(?:[.-][\w.-]+)?$|\.dockerfile$/i.test(name)) return 'dockerfile';
  if (/^(?:docker-)?compose(?:[.-][\w.-]+)?\.ya?ml$/i.test(name)) return 'compose';
  // GitHub runs the workflows of the repository's own `.github/`, not a nested package's.
  if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) return 'workflow';
  if (/\.(?:sh|bash)$/i.test(name) || /^(?:docker-)?entrypoint$/i.test(name)) return 'shell';
  if (name === 'Procfile') return 'procfile';
  if (/^(?:pytest\.ini|tox\.ini|setup\.cfg|pyproject\.toml)$/.test(name)) return 'pytest-config';
  if (/^ormconfig\.(?:json|ya?ml)$/.test(name)) return 'orm-config';
  if (/^\.env(?:\.[\w.-]+)?$/.test(name) && !/\.(?:example|sample|template|dist)$/i.test(name)) return 'env';
  return undefined;
}

/** Folders never walked: dependencies, VCS data, build outputs, virtualenvs, caches. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  ...['dist', 'build', 'coverage', '.next', '.nuxt', 'out', '.output', '.turbo', '.cache', '.vercel', '.svelte-kit'],
  ...['vendor', 'vendors', 'third_party', 'bower_components'],
  ...['.venv', 'venv', '.tox', '__pycache__', 'site-packages', '.mypy_cache', '.pytest_cache'],
  // Editors' copies of every saved version (VS Code's Local History extensions): old code that never runs.
  ...['.history', '.lh'],
]);

/** Bundled or minified files, never read (`.d.ts` files have no kind at all). */
const BUNDLED_FILE = /\.min\.[cm]?js$|\.bundle\.js$/;

/** The same exclusions as globs, for tools that list files with a glob library (the benchmark's baseline). */
export const ALWAYS_IGNORED = [`**/{${[...SKIPPED_DIRECTORIES].join(',')}}/**`, '**/*.min.{js,mjs,cjs}', '**/*.bundle.js', '**/*.d.{ts,mts,cts}'];

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

/** A `.gitignore` and the folder its patterns are relative to (root-relative, POSIX, `''` or ending in `/`). */
interface Gitignore {
  prefix: string;
  matcher: Ignore;
  /** False only when no pattern can match the path itself (see `anyPatternMatcher`). */
  mayMatch: (path: string) => boolean;
}

/** The parts of `ignore`'s compiled rules that `anyPatternMatcher` reads. */
interface CompiledRules {
  _rules?: { _rules?: readonly { regex?: unknown }[] };
}

/**
 * One test for all of a `.gitignore`'s patterns (names in a set, `*.ext` and the like as string
 * comparisons, two regular expressions for the rest): a path none of them matches is not ignored
 * as long as its folder is not (the walk never enters an ignored folder, and `discoverFiles` checks
 * the folders above an audited one), so `ignores()`, which scans the patterns one by one and then
 * the path's folders, is asked only about the few paths some pattern matches. On a 7,000-file
 * repository with a 300-line `.gitignore` this was a third of the walk. `ignore` does not publish
 * its compiled patterns: when they are not where version 7 keeps them, every path is asked the slow
 * way.
 */
export function anyPatternMatcher(matcher: Ignore): (path: string) => boolean {
  const rules = (matcher as unknown as CompiledRules)._rules?._rules;
  if (!Array.isArray(rules)) return () => true;
  const sources: string[] = [];
  const flags = new Set<string>();
  for (const rule of rules) {
    const regex = rule.regex;
    // A back-reference would point at another pattern's group once they are joined.
    if (!(regex instanceof RegExp) || /\\[1-9k]/.test(regex.source)) return () => true;
    sources.push(regex.source);
    flags.add(regex.flags);
  }
  if (sources.length === 0) return () => false;
  if (flags.size !== 1) return () => true;
  const flag = [...flags][0]!;
  const lower = flag.includes('i');
  const names = new Set<string>();
  const folderNames = new Set<string>();
  const partial: LastPartPattern[] = [];
  const anchored: string[] = [];
  const rest: string[] = [];
  for (const source of sources) {
    const pattern = lastPartPattern(source);
    // Only ASCII text: `toLowerCase` and the `i` flag agree on it.
    if (pattern && (!lower || /^[\x20-\x7e]*$/.test(pattern.text))) {
      const text = lower ? pattern.text.toLowerCase() : pattern.text;
      if (pattern.kind === 'name') (pattern.folderOnly ? folderNames : names).add(text);
      else partial.push({ ...pattern, text });
    } else if (source.startsWith('^') && !hasTopLevelAlternative(source)) anchored.push(`(?:${source.slice(1)})`);
    else rest.push(`(?:${source})`);
  }
  // Tried at the start of the path only, not at every character as in a union with the others.
  const atStart = anchored.length > 0 ? new RegExp(`^(?:${anchored.join('|')})`, flag) : undefined;
  const elsewhere = rest.length > 0 ? new RegExp(rest.join('|'), flag) : undefined;
  return (path) => {
    const isFolder = path.endsWith('/');
    const end = isFolder ? path.length - 1 : path.length;
    const last = path.slice(path.lastIndexOf('/', end - 1) + 1, end);
    const part = lower ? last.toLowerCase() : last;
    if (names.has(part) || (isFolder && folderNames.has(part))) return true;
    for (const { kind, text, folderOnly } of partial) {
      if (folderOnly && !isFolder) continue;
      if (kind === 'suffix' ? part.endsWith(text) : kind === 'prefix' ? part.startsWith(text) : part.includes(text)) return true;
    }
    return (atStart !== undefined && atStart.test(path)) || (elsewhere !== undefined && elsewhere.test(path));
  };
}

/** Whether `a|b` splits the whole expression, not only a group or a class within it. */
export function hasTopLevelAlternative(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

/** A pattern about the path's last part: `dist`, `coverage/`, `*.log`, `npm-debug.log*`, `*cache*`. */
export interface LastPartPattern {
  kind: 'name' | 'suffix' | 'prefix' | 'infix';
  text: string;
  folderOnly: boolean;
}

/**
 * Most lines of a large `.gitignore` are a name, or a name with a `*` at one end (`dist`, `*.log`,
 * `coverage/`), which `ignore` compiles to "the path's last part is, ends with or starts with this".
 * A regular expression tries each of them at every `/` of every path; a set or a string comparison
 * answers at once. The pattern, or undefined when it is anything else.
 */
export function lastPartPattern(source: string): LastPartPattern | undefined {
  const m = /^\(\?:\^\|\\\/\)(\[\^\\?\/\]\*)?((?:[\w\-@~%,=#!' ]|\\[.\-#!$])+)(\[\^\\?\/\]\*)?(\(\?=\$\|\\\/\$\)|\\\/\$)$/.exec(source);
  if (!m) return undefined;
  const [, leadingStar, text, trailingStar, end] = m;
  const kind = leadingStar ? (trailingStar ? 'infix' : 'suffix') : trailingStar ? 'prefix' : 'name';
  return { kind, text: text!.replace(/\\(.)/g, '$1'), folderOnly: end === '\\/$' };
}

function readGitignore(folder: string, prefix: string): Gitignore | undefined {
  let matcher: Ignore;
  try {
    matcher = ignore().add(readFileSync(join(folder, '.gitignore'), 'utf8'));
  } catch {
    return undefined; // absent or unreadable: git ignores nothing for it either
  }
  return { prefix, matcher, mayMatch: anyPatternMatcher(matcher) };
}

function isGitignored(path: string, isFolder: boolean, gitignores: readonly Gitignore[]): boolean {
  for (const { prefix, matcher, mayMatch } of gitignores) {
    if (!path.startsWith(prefix)) continue;
    const own = path.slice(prefix.length) + (isFolder ? '/' : '');
    if (mayMatch(own) && matcher.ignores(own)) return true;
  }
  return false;
}

const toPosix = (path: string) => (sep === '/' ? path : path.split(sep).join('/'));

/**
 * Lists the files dbguard reads under each path. It walks with `@nodelib/fs.walk`, the walker under
 * fast-glob (and ESLint's own file enumeration), because a walk can prune: a skipped or gitignored
 * folder is never read, and `.gitignore` files apply to their own folder as git applies them. Listing
 * everything with glob patterns and filtering afterwards cost 5–7× more on a 7,000-file repository.
 * Symbolic links are not followed (no loops, no escaping the repository); those with a name dbguard
 * reads are skipped and counted. Dot-folders such as `.github/` and `.docker/` are included because
 * entrypoints and workflows live there. Nothing is stat'ed: sizes are checked when a file is read.
 */
export async function discoverFiles(
  root: string,
  paths: readonly string[],
  extraIgnores: readonly string[],
  /** Called with each file as the walk finds it, so reading can start before the walk ends. */
  onFile?: (file: DiscoveredFile) => void,
): Promise<{ files: DiscoveredFile[]; skipped: SkippedFile[]; unmatched: string[] }> {
  const files = new Map<string, DiscoveredFile>();
  const skipped: SkippedFile[] = [];
  const unmatched: string[] = [];
  const userIgnored = picomatch(extraIgnores.length > 0 ? [...extraIgnores] : ['\0'], { dot: true });
  const keep = (absolute: string, path: string, kind: InputKind | undefined, symlink: boolean) => {
    if (!kind || userIgnored(path)) return;
    if (symlink) skipped.push({ absolute, reason: 'symbolic link' });
    else if (!files.has(absolute)) {
      const file = { absolute, path, kind };
      files.set(absolute, file);
      onFile?.(file);
    }
  };
  for (const input of paths) {
    const absoluteInput = resolve(input);
    let stats;
    try {
      stats = statSync(absoluteInput);
    } catch {
      unmatched.push(input);
      continue;
    }
    if (!stats.isDirectory()) {
      // A file named on the command line is read whatever its folder or ignore files say.
      const path = toPosix(relative(root, absoluteInput));
      keep(absoluteInput, path, kindOf(path) ?? kindOf(`/${basename(absoluteInput)}`), false);
      continue;
    }
    const basePath = toPosix(relative(root, absoluteInput));
    // The .gitignore files of the folders above an audited sub-folder, up to the root, apply too.
    const inherited: Gitignore[] = [];
    if (basePath !== '' && !basePath.startsWith('..')) {
      for (let folder = root, parts = basePath.split('/'), i = 0; i < parts.length; folder = join(folder, parts[i]!), i++) {
        const prefix = parts.slice(0, i).map((p) => `${p}/`).join('');
        const gitignore = readGitignore(folder, prefix);
        if (gitignore) inherited.push(gitignore);
      }
      // Inside the walk a folder is only reached when its parents are not ignored, which is what lets
      // `mayMatch` skip `ignores()`; the audited folder's own parents are checked here, in full.
      if (inherited.some(({ prefix, matcher }) => matcher.ignores(`${basePath.slice(prefix.length)}/`))) continue;
    }
    // Each folder's applicable .gitignore files: its parent's, plus its own, read when the walker
    // lists the folder (before any of its entries is filtered), so no folder is probed for one.
    const gitignoresOf = new Map<string, readonly Gitignore[]>([[basePath, inherited]]);
    const relativeOf = (folder: string) => (folder === absoluteInput ? basePath : toPosix(relative(root, folder)));
    const listFolder = (folder: string, options: { withFileTypes: true }): Dirent[] => {
      const dirents = readdirSync(folder, options);
      if (dirents.some((d) => d.name === '.gitignore' && d.isFile())) {
        const path = relativeOf(folder);
        const gitignore = readGitignore(folder, path === '' ? '' : `${path}/`);
        if (gitignore) gitignoresOf.set(path, [...(gitignoresOf.get(path) ?? []), gitignore]);
      }
      return dirents;
    };
    const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));
    // Files are kept as the walk meets them (`entryFilter`), so the walk itself collects nothing.
    walkSync(absoluteInput, {
      basePath,
      pathSegmentSeparator: '/',
      followSymbolicLinks: false,
      fs: { readdirSync: listFolder as never },
      // An unreadable folder is left out and counted, never fatal.
      errorFilter: (error) => {
        skipped.push({ absolute: error.path ?? absoluteInput, reason: `cannot read folder: ${error.code ?? error.message}` });
        return true;
      },
      deepFilter: (entry) => {
        const gitignores = gitignoresOf.get(parentOf(entry.path))!;
        if (SKIPPED_DIRECTORIES.has(entry.name) || isGitignored(entry.path, true, gitignores)) return false;
        gitignoresOf.set(entry.path, gitignores);
        return true;
      },
      entryFilter: (entry) => {
        if (entry.dirent.isDirectory() || BUNDLED_FILE.test(entry.name)) return false;
        const kind = kindOf(entry.path);
        if (kind === undefined || isGitignored(entry.path, false, gitignoresOf.get(parentOf(entry.path))!)) return false;
        keep(join(absoluteInput, entry.path.slice(basePath.length)), entry.path, kind, entry.dirent.isSymbolicLink());
        return false;
      },
    });
  }
  return { files: [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), skipped, unmatched };
}
