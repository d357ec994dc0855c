import type { AuditResult, Diagnostic, ReportedFinding } from '../scanner/result.js';
import { compareBySeverity, sortedDiagnostics } from './common.js';
import { toolOf } from './defaults.js';
import type { FormatterContext } from './types.js';

/** `@actions/core` `escapeData` (and vitest's github-actions reporter): message text. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** `@actions/core` `escapeProperty`: also `:` and `,`, which delimit the properties themselves. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

type Properties = [name: string, value: string | number | undefined][];

function command(name: 'error' | 'warning', properties: Properties, message: string): string {
  const props = properties
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${name} ${props}::${escapeData(message)}`;
}

function findingCommand(finding: ReportedFinding, context: FormatterContext): string {
  return command(
    finding.severity,
    [
      ['file', finding.file],
      ['line', finding.line],
      ['col', finding.column],
      ['endLine', finding.endLine],
      ['endColumn', finding.endColumn],
      ['title', `dbguard/${finding.ruleId}`],
    ],
    `${finding.message}\n${toolOf(context).docsUrl(finding.ruleId)}`,
  );
}

/** A file dbguard could not (fully) check is worth a look, but is not a finding. */
function diagnosticCommand(diagnostic: Diagnostic): string {
  return command(
    'warning',
    [
      ['file', diagnostic.file],
      ['line', diagnostic.line],
      ['col', diagnostic.column],
      ['title', `dbguard ${diagnostic.kind}`],
    ],
    diagnostic.message,
  );
}

/**
 * GitHub workflow commands, one annotation per line. GitHub shows only the first 10 errors and 10
 * warnings of a step, so errors come first. Suppressed findings are not annotated.
 */
export function formatGithub(result: AuditResult, context: FormatterContext): string {
  const lines = [
    ...result.findings
      .filter((finding) => !finding.suppressed)
      .sort(compareBySeverity)
      .map((finding) => findingCommand(finding, context)),
    ...sortedDiagnostics(result).map(diagnosticCommand),
  ];
  return lines.map((line) => `${line}\n`).join('');
}
