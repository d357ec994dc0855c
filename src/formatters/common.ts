import type { Severity } from '../core/types.js';
import type { AuditResult, Diagnostic, ReportedFinding } from '../scanner/result.js';

/** Code-unit order, not `localeCompare`: output must not depend on the machine's locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** File, then position, then rule: a total order, so every format is deterministic. */
export function compareFindings(a: ReportedFinding, b: ReportedFinding): number {
  return (
    compareStrings(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    a.endLine - b.endLine ||
    a.endColumn - b.endColumn ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.message, b.message)
  );
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareStrings(a.file, b.file) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    compareStrings(a.kind, b.kind) ||
    compareStrings(a.message, b.message)
  );
}

export function severityRank(severity: Severity): number {
  return severity === 'error' ? 0 : 1;
}

/** Most severe first, then by location: what a reader (or GitHub's 10-annotation cap) sees first. */
export function compareBySeverity(a: ReportedFinding, b: ReportedFinding): number {
  return severityRank(a.severity) - severityRank(b.severity) || compareFindings(a, b);
}

export function sortedFindings(result: AuditResult): ReportedFinding[] {
  return [...result.findings].sort(compareFindings);
}

export function sortedDiagnostics(result: AuditResult): Diagnostic[] {
  return [...result.diagnostics].sort(compareDiagnostics);
}

export interface Counts {
  errors: number;
  warnings: number;
  /** Suppressed in the source: a dbguard-ignore or eslint-disable comment. */
  suppressedInSource: number;
  baselined: number;
}

/** Counted from the findings themselves, so a human-readable summary always matches what it lists. */
export function countFindings(findings: readonly ReportedFinding[]): Counts {
  const counts: Counts = { errors: 0, warnings: 0, suppressedInSource: 0, baselined: 0 };
  for (const finding of findings) {
    if (finding.suppressed?.kind === 'baseline') counts.baselined++;
    else if (finding.suppressed) counts.suppressedInSource++;
    else if (finding.severity === 'error') counts.errors++;
    else counts.warnings++;
  }
  return counts;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Every line terminator ESLint and `src/core/location.ts` recognise. */
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/;

export function splitLines(text: string): string[] {
  return text.split(LINE_BREAK);
}
