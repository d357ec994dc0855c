import { rules } from '../../rules/index.js';
import { applyInlineSuppressions, type CommentSyntax, type SuppressedFinding, type SuppressionProblem } from '../core/inline-suppressions.js';
import { createTsInput, getParseErrors } from '../core/ts-input.js';
import type { AnyRuleModule, FileRole, Finding, RuleId } from '../core/types.js';

export interface RuleSetting {
  level: 'error' | 'warn' | 'off';
  options: readonly unknown[];
}

export type RuleSettings = ReadonlyMap<RuleId, RuleSetting>;

export interface FileAnalysis {
  findings: Finding[];
  suppressed: SuppressedFinding[];
  suppressionProblems: SuppressionProblem[];
  /** Why the file could not be analysed (a syntax error), if it could not. */
  parseError?: { offset: number; message: string };
}

export function defaultRuleSettings(): Map<RuleId, RuleSetting> {
  return new Map(
    Object.values(rules as Record<string, AnyRuleModule>).map((rule) => [
      rule.meta.id,
      { level: rule.meta.docs.recommended ? 'error' : 'off', options: rule.meta.defaultOptions as readonly unknown[] },
    ]),
  );
}

export function activeRules(settings: RuleSettings): [AnyRuleModule, RuleSetting][] {
  const result: [AnyRuleModule, RuleSetting][] = [];
  for (const rule of Object.values(rules as Record<string, AnyRuleModule>)) {
    const setting = settings.get(rule.meta.id);
    if (setting && setting.level !== 'off') result.push([rule, setting]);
  }
  return result;
}

/** A configured `warn` caps a rule's findings at warning; `error` keeps each finding's own severity. */
function applyLevel(findings: Finding[], setting: RuleSetting): Finding[] {
  return setting.level === 'warn' ? findings.map((f) => ({ ...f, severity: 'warning' })) : findings;
}

function finish(text: string, findings: Finding[], syntax: CommentSyntax): FileAnalysis {
  const { active, suppressed, problems } = applyInlineSuppressions(text, findings, syntax, { honourEslint: syntax === 'typescript' });
  return { findings: active, suppressed, suppressionProblems: problems };
}

/**
 * The scanner's view of one JS/TS file: the same detectors the ESLint rules run, behind the same
 * prefilter, with the same inline suppressions (plus `eslint-disable` for `dbguard/*`).
 */
export function analyzeTypescriptFile(path: string, text: string, role: FileRole, settings: RuleSettings): FileAnalysis {
  const candidates = activeRules(settings).filter(([rule]) => rule.detect.typescript && rule.prefilter.test(text));
  if (candidates.length === 0) return finish(text, [], 'typescript');
  const input = createTsInput(path, text, role);
  const [parseError] = getParseErrors(input);
  if (parseError) return { findings: [], suppressed: [], suppressionProblems: [], parseError };
  const findings = candidates.flatMap(([rule, setting]) => applyLevel(rule.detect.typescript!(input, setting.options), setting));
  return finish(text, findings, 'typescript');
}
