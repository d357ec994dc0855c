/**
 * The programmatic API (`eslint-plugin-dbguard/api`): what `dbguard audit` runs, for scripts and
 * other tools. The plugin itself is the package's default export.
 */
export { audit, type AuditOptions } from './audit.js';
export { applyBaseline, buildBaseline, readBaseline, writeBaseline, type Baseline } from './baseline.js';
export { filterToChangedLines, getChangedLines } from './changed-lines.js';
export { loadConfig, resolveConfig, type ResolvedConfig } from './config.js';
export { ConfigError, UsageError } from './errors.js';
export { exitCodeFor, failingFindings, type FailOn } from './fail-on.js';
export type { AuditResult, AuditSummary, Diagnostic, ReportedFinding } from './result.js';
export { formatters } from '../formatters/index.js';
