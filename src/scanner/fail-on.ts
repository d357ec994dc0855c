import { compareBySeverity } from '../formatters/common.js';
import type { AuditResult, ReportedFinding } from './result.js';

export type FailOn = 'error' | 'warning' | 'never';

/** The findings that fail a run at this `--fail-on` level, most severe first. Suppressed ones never do. */
export function failingFindings(result: AuditResult, failOn: FailOn): ReportedFinding[] {
  if (failOn === 'never') return [];
  return result.findings
    .filter((finding) => !finding.suppressed && (finding.severity === 'error' || failOn === 'warning'))
    .sort(compareBySeverity);
}

/** 0 when nothing is at or above `failOn`, 1 otherwise; the CLI and the Action share it. */
export function exitCodeFor(result: AuditResult, failOn: FailOn): 0 | 1 {
  return failingFindings(result, failOn).length > 0 ? 1 : 0;
}
