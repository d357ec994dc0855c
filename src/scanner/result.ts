import type { RuleId, Severity } from '../core/types.js';

/** One finding as every output sees it. Field names follow the `json` format, which is a contract. */
export interface ReportedFinding {
  ruleId: RuleId;
  severity: Severity;
  /** Relative to the current working directory, POSIX separators. */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  messageId: string;
  /** Which engines saw it: the scanner, ESLint (merged in by the Action), or both. */
  engines: ('scanner' | 'eslint')[];
  /** Content-based: stable when unrelated lines are added above. */
  fingerprint: string;
  /** The source line the finding starts on, for code frames and fingerprints. */
  sourceLine: string;
  suppressed?: { kind: 'inline' | 'file' | 'eslint-directive' | 'baseline'; justification: string };
  suggestions?: { message: string; replacement: { line: number; column: number; endLine: number; endColumn: number; text: string } }[];
}

export interface Diagnostic {
  file: string;
  /** 1-based, when the problem has a position (a syntax error, a suppression comment). */
  line?: number;
  column?: number;
  message: string;
  /** `parse-error`, `suppression`, `skipped`, `baseline`, `config`… */
  kind: string;
  severity: Severity;
}

export interface AuditSummary {
  files: number;
  errors: number;
  warnings: number;
  suppressed: number;
  skipped: number;
  durationMs: number;
}

export interface AuditResult {
  /** Absolute path every relative `file` is resolved from (the cwd of the run). */
  cwd: string;
  findings: ReportedFinding[];
  diagnostics: Diagnostic[];
  summary: AuditSummary;
  /** Wall time of each phase of the run, in order: what `TIMING=1` prints. */
  timings?: { phase: string; ms: number }[];
}
