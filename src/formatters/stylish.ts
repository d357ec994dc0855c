import type { Severity } from '../core/types.js';
import type { AuditResult, Diagnostic, ReportedFinding } from '../scanner/result.js';
import { compareStrings, countFindings, plural, sortedDiagnostics, sortedFindings, splitLines } from './common.js';
import { toolOf } from './defaults.js';
import type { FormatterContext } from './types.js';

type Style = 'red' | 'yellow' | 'green' | 'dim' | 'bold' | 'underline';

const SGR: Record<Style, readonly [open: number, close: number]> = {
  red: [31, 39],
  yellow: [33, 39],
  green: [32, 39],
  dim: [2, 22],
  bold: [1, 22],
  underline: [4, 24],
};

/** Past this many UTF-16 units a source line (minified code, a data blob) is cut around the finding. */
const MAX_FRAME_WIDTH = 160;
const FRAME_LEAD = 40;
const SEVERITY_WIDTH = 'warning'.length;

function paint(context: FormatterContext, style: Style, text: string): string {
  if (!context.color || text === '') return text;
  const [open, close] = SGR[style];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}

function severityStyle(severity: Severity): Style {
  return severity === 'error' ? 'red' : 'yellow';
}

/**
 * Control characters from scanned files (an ESC in a string literal) must not reach the terminal:
 * they could rewrite the report. One replacement character per code unit keeps columns aligned.
 */
function sanitize(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd');
}

/** `sourceLine` may still carry its `\r` (CRLF files) or more lines; the frame shows the first only. */
function firstLine(text: string): string {
  return sanitize(splitLines(text)[0] ?? '');
}

/** One line of the table (a finding or a diagnostic), with what is printed under it. */
interface Row {
  line: number;
  column: number;
  /** Findings before diagnostics at the same position. */
  order: number;
  position: string;
  severity: Severity;
  message: string;
  /** The rule id, or the diagnostic's kind. */
  trailer: string;
  details: string[];
}

function position(line: number | undefined, column: number | undefined): string {
  if (line === undefined) return '-';
  return column === undefined ? String(line) : `${line}:${column}`;
}

/** Message lines after the first are indented to the message column, so the columns stay readable. */
function renderRow(context: FormatterContext, row: Row, positionWidth: number): string[] {
  const head = `  ${paint(context, 'dim', row.position.padEnd(positionWidth))}  ${paint(context, severityStyle(row.severity), row.severity.padEnd(SEVERITY_WIDTH))}  `;
  const indent = ' '.repeat(2 + positionWidth + 2 + SEVERITY_WIDTH + 2);
  const lines = splitLines(row.message).map(sanitize);
  const last = lines.length - 1;
  const table = lines.map((text, index) => {
    const body = index === last ? `${text}  ${paint(context, 'dim', row.trailer)}` : text;
    return (index === 0 ? head : indent) + body;
  });
  return [...table, ...row.details];
}

function codeFrame(context: FormatterContext, finding: ReportedFinding): string[] {
  const text = firstLine(finding.sourceLine);
  if (text.trim() === '') return [];
  const start = Math.min(Math.max(finding.column - 1, 0), text.length);
  // A finding that runs onto later lines is marked to the end of its first line.
  const end = finding.endLine === finding.line ? Math.min(Math.max(finding.endColumn - 1, start), text.length) : text.length;
  const offset = text.length > MAX_FRAME_WIDTH ? Math.max(0, Math.min(start - FRAME_LEAD, text.length - MAX_FRAME_WIDTH)) : 0;
  const shownEnd = Math.min(text.length, offset + MAX_FRAME_WIDTH);
  const lead = offset > 0 ? '…' : '';
  const tail = shownEnd < text.length ? '…' : '';
  const code = lead + text.slice(offset, shownEnd) + tail;
  // Tabs are copied so the caret lines up whatever the terminal's tab width.
  const padding = ' '.repeat(lead.length) + text.slice(offset, start).replace(/[^\t]/g, ' ');
  const caret = '^'.repeat(Math.max(1, Math.min(end, shownEnd) - start));
  const gutter = String(finding.line);
  return [
    `    ${paint(context, 'dim', `${gutter} |`)} ${code}`,
    `    ${paint(context, 'dim', `${' '.repeat(gutter.length)} |`)} ${padding}${paint(context, severityStyle(finding.severity), caret)}`,
  ];
}

function findingRow(context: FormatterContext, finding: ReportedFinding): Row {
  return {
    line: finding.line,
    column: finding.column,
    order: 0,
    position: position(finding.line, finding.column),
    severity: finding.severity,
    message: finding.message,
    trailer: finding.ruleId,
    details: [...codeFrame(context, finding), `    Docs: ${toolOf(context).docsUrl(finding.ruleId)}`],
  };
}

function diagnosticRow(diagnostic: Diagnostic): Row {
  return {
    line: diagnostic.line ?? 0,
    column: diagnostic.column ?? 0,
    order: 1,
    position: position(diagnostic.line, diagnostic.column),
    severity: diagnostic.severity,
    message: diagnostic.message,
    trailer: diagnostic.kind,
    details: [],
  };
}

function summaryLine(result: AuditResult, context: FormatterContext): string {
  const counts = countFindings(result.findings);
  const problems = counts.errors + counts.warnings;
  const suppressed = counts.suppressedInSource + counts.baselined;
  const extras = [
    suppressed > 0 ? `${suppressed} suppressed` : '',
    result.diagnostics.length > 0 ? plural(result.diagnostics.length, 'notice') : '',
  ].filter(Boolean);
  const rest = extras.map((extra) => `, ${extra}`).join('');
  if (problems === 0) {
    return paint(context, 'green', `✔ No problems found in ${plural(result.summary.files, 'file')}${rest}`);
  }
  const text = `✖ ${plural(problems, 'problem')} (${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')})${rest}`;
  return paint(context, 'bold', paint(context, counts.errors > 0 ? 'red' : 'yellow', text));
}

/**
 * ESLint's stylish layout (lib/cli-engine/formatters/stylish.js), grouped by file, plus a code frame
 * and the docs link under each finding. Suppressed findings are only counted.
 */
export function formatStylish(result: AuditResult, context: FormatterContext): string {
  const byFile = new Map<string, Row[]>();
  const add = (file: string, row: Row) => {
    const rows = byFile.get(file) ?? [];
    rows.push(row);
    byFile.set(file, rows);
  };
  for (const finding of sortedFindings(result)) if (!finding.suppressed) add(finding.file, findingRow(context, finding));
  for (const diagnostic of sortedDiagnostics(result)) add(diagnostic.file, diagnosticRow(diagnostic));

  const groups = [...byFile.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([file, rows]) => {
      rows.sort((a, b) => a.line - b.line || a.column - b.column || a.order - b.order);
      const positionWidth = Math.max(...rows.map((row) => row.position.length));
      return [paint(context, 'underline', sanitize(file)), ...rows.flatMap((row) => renderRow(context, row, positionWidth))].join('\n');
    });
  return [...groups, summaryLine(result, context)].join('\n\n') + '\n';
}
