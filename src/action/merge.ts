import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { FailOn } from '../scanner/fail-on.js';
import { compareBySeverity, compareFindings, plural } from '../formatters/common.js';
import type { AuditResult, ReportedFinding } from '../scanner/result.js';

function positionKey(finding: ReportedFinding): string {
  return JSON.stringify([finding.ruleId, finding.file, finding.line, finding.column]);
}

/**
 * One finding per problem, whichever engines saw it: same rule, file and start position, or same
 * fingerprint (the position can differ by a column when ESLint's parser and ours disagree on where a
 * node starts). The scanner's copy wins: it carries the finding's own severity and suggestions.
 */
export function mergeFindings(scanner: readonly ReportedFinding[], eslint: readonly ReportedFinding[]): ReportedFinding[] {
  const merged = scanner.map((finding) => ({ ...finding, engines: [...finding.engines] }));
  const byPosition = new Map<string, ReportedFinding>();
  const byFingerprint = new Map<string, ReportedFinding>();
  const index = (finding: ReportedFinding) => {
    if (!byPosition.has(positionKey(finding))) byPosition.set(positionKey(finding), finding);
    if (!byFingerprint.has(finding.fingerprint)) byFingerprint.set(finding.fingerprint, finding);
  };
  merged.forEach(index);
  const matched = new Set<ReportedFinding>();
  for (const finding of eslint) {
    const twin = [byPosition.get(positionKey(finding)), byFingerprint.get(finding.fingerprint)].find((candidate) => candidate && !matched.has(candidate));
    if (twin) {
      matched.add(twin);
      for (const engine of finding.engines) if (!twin.engines.includes(engine)) twin.engines.push(engine);
      continue;
    }
    const added = { ...finding, engines: [...finding.engines] };
    merged.push(added);
    matched.add(added);
    index(added);
  }
  return merged.sort(compareFindings);
}

/** The result with other findings, its counts recomputed from them. */
export function withFindings(result: AuditResult, findings: ReportedFinding[]): AuditResult {
  const active = findings.filter((finding) => !finding.suppressed);
  return {
    ...result,
    findings,
    summary: {
      ...result.summary,
      errors: active.filter((finding) => finding.severity === 'error').length,
      warnings: active.filter((finding) => finding.severity === 'warning').length,
      suppressed: findings.length - active.length,
    },
  };
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/**
 * Re-expresses every path relative to `to`: dbguard runs in `working-directory` (so baselines and
 * changed lines use the paths the CLI would), while annotations and SARIF need paths from the
 * repository root.
 */
export function rebaseResult(result: AuditResult, to: string): AuditResult {
  if (resolve(result.cwd) === resolve(to)) return result;
  const move = (file: string) => (file === '' || isAbsolute(file) ? file : toPosix(relative(to, resolve(result.cwd, file))) || '.');
  return {
    ...result,
    cwd: to,
    findings: result.findings.map((finding) => ({ ...finding, file: move(finding.file) })),
    diagnostics: result.diagnostics.map((diagnostic) => ({ ...diagnostic, file: move(diagnostic.file) })),
  };
}

const LISTED = 5;

/** "2 findings at error level: no-auto-schema-sync (src/data-source.ts:6), …": one line, for `setFailed`. */
export function failureReason(failing: readonly ReportedFinding[], failOn: FailOn): string {
  const level = failOn === 'warning' ? 'warning level or above' : 'error level';
  const listed = failing.slice(0, LISTED).map((finding) => `${finding.ruleId} (${finding.file}:${finding.line})`);
  const rest = failing.length > LISTED ? `, and ${failing.length - LISTED} more` : '';
  return `${plural(failing.length, 'finding')} at ${level}: ${listed.join(', ')}${rest}`;
}
