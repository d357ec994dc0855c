import { execFileSync } from 'node:child_process';
import { relative, resolve, sep } from 'node:path';
import { UsageError } from './errors.js';
import type { AuditResult } from './result.js';

/** Added or changed line numbers per file (paths relative to `cwd`), since the merge-base with `ref`. */
export type ChangedLines = Map<string, Set<number> | 'all'>;

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '').trim().split('\n')[0];
    throw new UsageError(`--changed-since: git ${args[0]} failed${stderr ? `: ${stderr}` : ''}`);
  }
}

/**
 * Lines the change adds or modifies, from `git diff -U0 <merge-base>` plus untracked files. Whole-repo
 * facts are still computed from every file; only the report is narrowed.
 */
export function getChangedLines(cwd: string, ref: string): ChangedLines {
  const top = git(cwd, ['rev-parse', '--show-toplevel']).trim();
  const base = git(cwd, ['merge-base', ref, 'HEAD']).trim();
  const diff = git(cwd, ['diff', '-U0', '--no-color', '--no-ext-diff', '--no-renames', base, '--']);
  const changed: ChangedLines = new Map();
  let current: Set<number> | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const path = line.slice(4).replace(/^b\//, '');
      current = path === '/dev/null' ? undefined : new Set();
      if (current) changed.set(relative(cwd, resolve(top, path)).split(sep).join('/'), current);
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk && current) {
      const start = Number(hunk[1]);
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      for (let n = start; n < start + count; n++) current.add(n);
    }
  }
  for (const path of git(cwd, ['ls-files', '--others', '--exclude-standard', '--full-name']).split('\n').filter(Boolean)) {
    changed.set(relative(cwd, resolve(top, path)).split(sep).join('/'), 'all');
  }
  return changed;
}

/** Keeps findings whose first line was added or changed; diagnostics stay (they concern the run). */
export function filterToChangedLines(result: AuditResult, changed: ChangedLines): AuditResult {
  const findings = result.findings.filter((f) => {
    const lines = changed.get(f.file);
    if (!lines) return false;
    if (lines === 'all') return true;
    for (let n = f.line; n <= f.endLine; n++) if (lines.has(n)) return true;
    return false;
  });
  const active = findings.filter((f) => !f.suppressed);
  return {
    ...result,
    findings,
    summary: { ...result.summary, errors: active.filter((f) => f.severity === 'error').length, warnings: active.filter((f) => f.severity === 'warning').length, suppressed: findings.length - active.length },
  };
}
