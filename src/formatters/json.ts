import type { AuditResult, Diagnostic, ReportedFinding } from '../scanner/result.js';
import { sortedDiagnostics, sortedFindings } from './common.js';
import type { FormatterContext } from './types.js';

/**
 * The public `json` contract, version 1. Keys are built in a fixed order (JSON.stringify keeps
 * insertion order) so diffs of two reports are readable. Only add fields; never rename one.
 */
function findingJson(finding: ReportedFinding): Record<string, unknown> {
  const json: Record<string, unknown> = {
    ruleId: finding.ruleId,
    severity: finding.severity,
    file: finding.file,
    line: finding.line,
    column: finding.column,
    endLine: finding.endLine,
    endColumn: finding.endColumn,
    message: finding.message,
    engine: finding.engines[0] ?? 'scanner',
  };
  // Only when ESLint and the scanner both saw it (merged by the Action): `engine` stays a single value.
  if (finding.engines.length > 1) json.engines = [...finding.engines];
  json.fingerprint = finding.fingerprint;
  if (finding.suppressed) json.suppressed = { kind: finding.suppressed.kind, justification: finding.suppressed.justification };
  return json;
}

function diagnosticJson(diagnostic: Diagnostic): Record<string, unknown> {
  // In the order of a finding's keys: what, how bad, where, then the text.
  const json: Record<string, unknown> = { kind: diagnostic.kind, severity: diagnostic.severity, file: diagnostic.file };
  if (diagnostic.line !== undefined) json.line = diagnostic.line;
  if (diagnostic.column !== undefined) json.column = diagnostic.column;
  json.message = diagnostic.message;
  return json;
}

export function formatJson(result: AuditResult, _context: FormatterContext): string {
  const { files, errors, warnings, suppressed, skipped, durationMs } = result.summary;
  const report = {
    version: 1,
    findings: sortedFindings(result).map(findingJson),
    diagnostics: sortedDiagnostics(result).map(diagnosticJson),
    // `skipped` is an addition to the v1 contract (files not read: binary, too large, minified).
    summary: { files, errors, warnings, suppressed, skipped, durationMs },
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
