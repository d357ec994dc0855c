import { existsSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { FailOn } from '../scanner/fail-on.js';

export type EslintMode = 'auto' | 'true' | 'false';

/** What `action.yml` declares, validated; every path absolute. */
export interface ActionInputs {
  /** The checkout (`GITHUB_WORKSPACE`): annotations and SARIF name files relative to it. */
  workspace: string;
  /** Where paths, config, baseline and sarif-file are resolved from, and where dbguard runs. */
  workingDirectory: string;
  /** Relative to `workingDirectory`, as the CLI takes them. */
  paths: string[];
  config?: string;
  failOn: FailOn;
  onlyChanged: 'auto' | boolean;
  baseline?: { absolute: string; given: string };
  sarifFile?: string;
  eslint: EslintMode;
  annotations: boolean;
  summary: boolean;
}

/** A bad `with:` value: the message starts with the input's name, as the step's failure shows it. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    readonly input: string,
    detail: string,
  ) {
    super(`Input "${input}" ${detail}`);
  }
}

/** `getInput` of `@actions/core`, minus the runner: `INPUT_<NAME>` with spaces as `_`, upper-cased, trimmed. */
export type InputReader = (name: string) => string;

function oneOf<T extends string>(read: InputReader, name: string, allowed: readonly T[], fallback: T): T {
  const value = read(name).toLowerCase();
  if (value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(name, `must be ${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}, got "${read(name)}"`);
}

function flag(read: InputReader, name: string, fallback: boolean): boolean {
  return oneOf(read, name, ['true', 'false'], fallback ? 'true' : 'false') === 'true';
}

/**
 * One path per line, or several on a line separated by spaces. A line that names an existing file
 * as a whole keeps its spaces, so `src/my app` can still be given on its own line.
 */
export function splitPaths(value: string, base: string): string[] {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .flatMap((line) => (/\s/.test(line) && !existsSync(resolve(base, line)) ? line.split(/\s+/) : [line]));
}

function existingFile(read: InputReader, name: string, base: string): string | undefined {
  const value = read(name);
  if (!value) return undefined;
  const absolute = resolve(base, value);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) throw new InputError(name, `names a file that does not exist: ${value} (resolved from ${base})`);
  return absolute;
}

/** Reads and checks every input; paths must exist, since a typo would otherwise pass as "no findings". */
export function readInputs(read: InputReader, env: NodeJS.ProcessEnv): ActionInputs {
  const failOn = oneOf(read, 'fail-on', ['error', 'warning', 'never'], 'error');
  const onlyChanged = oneOf(read, 'only-changed', ['auto', 'true', 'false'], 'auto');
  const eslint = oneOf(read, 'eslint', ['auto', 'true', 'false'], 'auto');
  const annotations = flag(read, 'annotations', true);
  const summary = flag(read, 'summary', true);

  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd());
  const workingDirectory = resolve(workspace, read('working-directory') || '.');
  if (!existsSync(workingDirectory) || !statSync(workingDirectory).isDirectory()) {
    throw new InputError('working-directory', `names a folder that does not exist: ${read('working-directory')}`);
  }
  const paths = splitPaths(read('paths') || '.', workingDirectory);
  const missing = paths.filter((path) => !existsSync(resolve(workingDirectory, path)));
  if (missing.length > 0) throw new InputError('paths', `matches nothing: ${missing.join(', ')} (resolved from ${workingDirectory})`);
  const outside = paths.filter((path) => isOutside(workspace, resolve(workingDirectory, path)));
  if (outside.length > 0) throw new InputError('paths', `must stay inside the workspace ${workspace}: ${outside.join(', ')}`);

  const baseline = existingFile(read, 'baseline', workingDirectory);
  const sarifFile = read('sarif-file');
  return {
    workspace,
    workingDirectory,
    paths,
    config: existingFile(read, 'config', workingDirectory),
    failOn,
    onlyChanged: onlyChanged === 'auto' ? 'auto' : onlyChanged === 'true',
    baseline: baseline ? { absolute: baseline, given: read('baseline') } : undefined,
    sarifFile: sarifFile ? resolve(workingDirectory, sarifFile) : undefined,
    eslint,
    annotations,
    summary,
  };
}

function isOutside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}
