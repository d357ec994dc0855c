import { codeLinesOf } from './comment-lines.js';
import type { AnyRuleModule, FileRole, InputLanguage } from './types.js';

/**
 * Whether a rule's per-file detector for `language` could report anything in this file: the options
 * give it something to compare, the file's role allows it, and the text passes its prefilters
 * (cheapest first). Both faces ask this before parsing, so a file no rule could match is never
 * parsed; `test/prefilter.test.ts` checks it never hides a finding on the fixtures.
 *
 * JS/TS detectors read the syntax tree, where comments are not, so in the few files whose text
 * passes, it must pass again without its comment lines: in a large repository a third of those
 * files matched only on words in comments ("delete from the cache", "will be inserted").
 */
export function canReport(rule: AnyRuleModule, text: string, role: FileRole, language: InputLanguage, options: readonly unknown[]): boolean {
  if (rule.detect[language] === undefined || rule.appliesWith?.(options) === false || rule.mayReportIn?.(role, language) === false) return false;
  const passes = rule.prefilterIn?.(role, language) ?? ((t: string) => rule.prefilter.test(t));
  return passes(text) && (language !== 'typescript' || passes(codeLinesOf(text)));
}
