import type { RuleDocs } from '../core/types.js';
import type { AuditResult } from '../scanner/result.js';

/** The running dbguard, as outputs name and link it. */
export interface ToolInfo {
  name: string;
  version: string;
  informationUri: string;
  docsUrl(ruleId: string): string;
}

export interface FormatterContext {
  /** ANSI colors, for formats read in a terminal. */
  color: boolean;
  /** Where the run was started. Paths in the result are relative to `result.cwd`, which formats use. */
  cwd: string;
  /**
   * This package's version and links unless given. Tests pass a fixed one, so golden files do not
   * change on release.
   */
  tool?: ToolInfo;
  /**
   * Docs of the rules registered in `rules/index.ts` unless given; tests pass a fixed map, so golden
   * files do not change when a rule is added. A rule id missing here is still formatted, from its id.
   */
  rules?: ReadonlyMap<string, RuleDocs>;
}

/** Pure: no printing, no file system, no process state. The CLI and the Action write the string. */
export type Formatter = (result: AuditResult, context: FormatterContext) => string;

export interface FormatterEntry {
  format: Formatter;
  /** One line for `--help`. */
  description: string;
}
