import { rules } from '../../rules/index.js';
import { applyInlineSuppressions, type CommentSyntax, type SuppressedFinding, type SuppressionProblem } from '../core/inline-suppressions.js';
import { createTsInput, getParseErrors } from '../core/ts-input.js';
import type { AnyRuleModule, FileRole, Finding, RuleId, ScriptInput, SqlInput } from '../core/types.js';
import type { PythonTree } from '../core/python/parser.js';
import { extractTypescriptFacts, needsTypescriptFacts, type FileFacts } from './facts.js';

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
  facts?: FileFacts;
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
export function analyzeTypescriptFile(path: string, text: string, role: FileRole, settings: RuleSettings, { facts = false } = {}): FileAnalysis {
  const candidates = activeRules(settings).filter(([rule]) => rule.detect.typescript && rule.prefilter.test(text));
  const wantFacts = facts && needsTypescriptFacts(text);
  if (candidates.length === 0 && !wantFacts) return finish(text, [], 'typescript');
  const input = createTsInput(path, text, role);
  const [parseError] = getParseErrors(input);
  if (parseError) return { findings: [], suppressed: [], suppressionProblems: [], parseError };
  const findings = candidates.flatMap(([rule, setting]) => applyLevel(rule.detect.typescript!(input, setting.options), setting));
  const analysis = finish(text, findings, 'typescript');
  return wantFacts ? { ...analysis, facts: extractTypescriptFacts(input) } : analysis;
}

const EMPTY: FileAnalysis = { findings: [], suppressed: [], suppressionProblems: [] };

/** `001_init.down.sql`, `down.sql`, `20240101_x/down.sql`; `-- migrate:down` sections are split by the caller. */
export function migrationPhaseOf(path: string): 'up' | 'down' | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (/(?:^|[._-])(?:down|rollback|revert|undo)\.sql$/.test(name)) return 'down';
  if (/(?:^|[._-])up\.sql$/.test(name)) return 'up';
  return undefined;
}

export function analyzeSqlFile(input: SqlInput, settings: RuleSettings): FileAnalysis {
  const candidates = activeRules(settings).filter(([rule]) => rule.detect.sql && rule.prefilter.test(input.text));
  const findings = candidates.flatMap(([rule, setting]) => applyLevel(rule.detect.sql!(input, setting.options), setting));
  return findings.length === 0 && !input.text.includes('dbguard-ignore') ? EMPTY : finish(input.text, findings, 'sql');
}

export function analyzeScriptFile(input: ScriptInput, settings: RuleSettings): FileAnalysis {
  const candidates = activeRules(settings).filter(([rule]) => rule.detect.script && rule.prefilter.test(input.text));
  const findings = candidates.flatMap(([rule, setting]) => applyLevel(rule.detect.script!(input, setting.options), setting));
  // package.json has no comments; everything else here uses `#`.
  return finish(input.text, findings, input.kind === 'package-json' ? 'none' : 'hash');
}

export function analyzePythonFile(path: string, text: string, role: FileRole, settings: RuleSettings, parse: (text: string) => PythonTree): FileAnalysis {
  const candidates = activeRules(settings).filter(([rule]) => rule.detect.python && rule.prefilter.test(text));
  if (candidates.length === 0) return finish(text, [], 'python');
  const tree = parse(text);
  try {
    if (tree.rootNode.hasError) {
      const error = firstErrorNode(tree.rootNode);
      return { ...EMPTY, parseError: { offset: error?.startIndex ?? 0, message: `Python syntax error near \`${(error?.text ?? '').slice(0, 40).split('\n')[0]}\`` } };
    }
    const input = { path, text, role, tree };
    const findings = candidates.flatMap(([rule, setting]) => applyLevel(rule.detect.python!(input, setting.options), setting));
    return finish(text, findings, 'python');
  } finally {
    tree.delete();
  }
}

function firstErrorNode(node: PythonTree['rootNode']): PythonTree['rootNode'] | undefined {
  if (node.type === 'ERROR' || node.isMissing) return node;
  for (const child of node.children) {
    if (child?.hasError || child?.isMissing) {
      const found = firstErrorNode(child);
      if (found) return found;
    }
  }
  return undefined;
}
