import type { AuditResult, Diagnostic, ReportedFinding } from '../scanner/result.js';
import { compareBySeverity, countFindings, plural, sortedDiagnostics, splitLines } from './common.js';
import { toolOf } from './defaults.js';
import type { FormatterContext } from './types.js';

/** A PR comment is capped at 65,536 characters; a table this long is read by nobody anyway. */
const MAX_ROWS = 100;

const SEVERITY_LABEL = { error: '❌ error', warning: '⚠️ warning' } as const;

/** GFM needs `\|` even inside code spans; a cell cannot hold a line break, `<br>` can. */
function escapeCell(text: string): string {
  return splitLines(text)
    .map((line) => line.replace(/\|/g, '\\|'))
    .join('<br>');
}

/** A code span whose fence is longer than any backtick run inside (CommonMark §6.1). */
function codeSpan(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function findingRow(finding: ReportedFinding, context: FormatterContext): string {
  const rule = `[${finding.ruleId}](${toolOf(context).docsUrl(finding.ruleId)})`;
  const location = codeSpan(`${finding.file}:${finding.line}`);
  return `| ${SEVERITY_LABEL[finding.severity]} | ${rule} | ${escapeCell(location)} | ${escapeCell(finding.message)} |`;
}

function notice(diagnostic: Diagnostic): string {
  const where = diagnostic.line === undefined ? diagnostic.file : `${diagnostic.file}:${diagnostic.line}`;
  return `- ${codeSpan(where)} ${splitLines(diagnostic.message).join(' ')} (${diagnostic.kind})`;
}

function countsLine(result: AuditResult): string {
  const counts = countFindings(result.findings);
  const problems = counts.errors + counts.warnings;
  const files = plural(result.summary.files, 'file');
  const headline =
    problems === 0
      ? `✅ No problems found in ${files}.`
      : `**✖ ${plural(problems, 'problem')}** (${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}) in ${files}.`;
  const hidden = [
    counts.suppressedInSource > 0 ? `${counts.suppressedInSource} suppressed in source` : '',
    counts.baselined > 0 ? `${counts.baselined} in the baseline` : '',
  ].filter(Boolean);
  return hidden.length === 0 ? headline : `${headline} Not shown: ${hidden.join(', ')}.`;
}

/** A summary for a PR comment or `$GITHUB_STEP_SUMMARY`: counts, then the active findings, most severe first. */
export function formatMarkdown(result: AuditResult, context: FormatterContext): string {
  const active = result.findings.filter((finding) => !finding.suppressed).sort(compareBySeverity);
  const sections = ['## dbguard audit', countsLine(result)];
  if (active.length > 0) {
    const rows = active.slice(0, MAX_ROWS).map((finding) => findingRow(finding, context));
    const table = ['| Severity | Rule | Location | Message |', '| --- | --- | --- | --- |', ...rows].join('\n');
    sections.push(table);
    if (active.length > MAX_ROWS) sections.push(`_…and ${plural(active.length - MAX_ROWS, 'more finding')} not shown._`);
  }
  const diagnostics = sortedDiagnostics(result);
  if (diagnostics.length > 0) {
    sections.push(`### ${plural(diagnostics.length, 'notice')}\n\n${diagnostics.map(notice).join('\n')}`);
  }
  return `${sections.join('\n\n')}\n`;
}
