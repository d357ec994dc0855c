import { rules } from '../../rules/index.js';
import { canReport } from '../core/can-report.js';
import { applyInlineSuppressions, type CommentSyntax, type SuppressionOutcome } from '../core/inline-suppressions.js';
import { createTsInput, getParseErrors } from '../core/ts-input.js';
import type { AnyRuleModule, FileRole, Finding, InputLanguage, RuleId, ScriptInput, SqlInput } from '../core/types.js';
import type { PythonTree } from '../core/python/parser.js';
import { extractPythonFacts, extractPythonTextFacts, extractTypescriptFacts, needsPythonFacts, type FileFacts } from './facts.js';
import { extractTextFacts, needsTypescriptFacts } from './text-facts.js';

export interface RuleSetting {
  level: 'error' | 'warn' | 'off';
  options: readonly unknown[];
}

export type RuleSettings = ReadonlyMap<RuleId, RuleSetting>;

/** One file's own findings (before inline suppressions, which the audit applies once project findings are in). */
export interface FileAnalysis {
  findings: Finding[];
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
export function applyLevel<T extends Finding>(findings: T[], setting: RuleSetting): T[] {
  return setting.level === 'warn' ? findings.map((f) => ({ ...f, severity: 'warning' })) : findings;
}

/** The comment syntax suppressions are written in, per input kind. package.json has none. */
export function commentSyntaxOf(kind: string): CommentSyntax {
  switch (kind) {
    case 'typescript':
      return 'typescript';
    case 'python':
      return 'python';
    case 'sql':
      return 'sql';
    case 'package-json':
      return 'none';
    default:
      return 'hash';
  }
}

/** Inline suppressions as both faces apply them: dbguard's comments, and `eslint-disable*` for `dbguard/*` in JS/TS. */
export function suppress(text: string, findings: readonly Finding[], kind: string): SuppressionOutcome {
  const syntax = commentSyntaxOf(kind);
  return applyInlineSuppressions(text, findings, syntax, { honourEslint: syntax === 'typescript' });
}

/**
 * The scanner's view of one JS/TS file: the same detectors the ESLint rules run, behind the same
 * prefilter, with the same inline suppressions (plus `eslint-disable` for `dbguard/*`).
 */
export interface FactOptions {
  /** Extract whole-repo facts too. */
  facts?: boolean;
  /** The text facts (`extractTextFacts`, `extractPythonTextFacts`), when the caller already has them. */
  textFacts?: FileFacts;
  /**
   * JS/TS only: whether this file calls a function imported from a module that creates schema or
   * imports one that does (see `extractTypescriptFacts`); without it, its constructors cannot start
   * a path to schema creation in another file.
   */
  reachesSchema?: boolean;
  /** What `gateTypescriptFile` said of this text, when it was asked already. */
  gate?: TypescriptGate;
}

/** What the prefilters say of a JS/TS file before any parse: asked once, while the repository is still being read. */
export interface TypescriptGate {
  /** The active rules whose prefilters the text passes. */
  candidates: readonly [AnyRuleModule, RuleSetting][];
  /** Whether it must be parsed for whole-repo facts even if no schema creation is reachable from it (`needsTypescriptFacts`). */
  needsFacts: boolean;
}

/** The active rules whose detectors for `language` could report in this text (`canReport`). */
function candidateRules(text: string, role: FileRole, language: InputLanguage, settings: RuleSettings): [AnyRuleModule, RuleSetting][] {
  return activeRules(settings).filter(([rule, setting]) => canReport(rule, text, role, language, setting.options));
}

/** `needsFacts` comes from the thread that read the file, which asked it there. */
export function gateTypescriptFile(text: string, role: FileRole, settings: RuleSettings, needsFacts: boolean): TypescriptGate {
  return { candidates: candidateRules(text, role, 'typescript', settings), needsFacts };
}

export function analyzeTypescriptFile(path: string, text: string, role: FileRole, settings: RuleSettings, { facts = false, textFacts: given, reachesSchema = true, gate }: FactOptions = {}): FileAnalysis {
  const candidates = gate?.candidates ?? candidateRules(text, role, 'typescript', settings);
  // Reaching schema creation only adds a reason to parse: the gate asked without it.
  const wantFacts = facts && (gate && !reachesSchema ? gate.needsFacts : needsTypescriptFacts(text, role, { reachesSchema }));
  const textFacts = facts ? (given ?? extractTextFacts(text, role)) : {};
  if (candidates.length === 0 && !wantFacts) return { findings: [], facts: textFacts };
  const input = createTsInput(path, text, role);
  const [parseError] = getParseErrors(input);
  if (parseError) return { findings: [], parseError };
  const findings = candidates.flatMap(([rule, setting]) => applyLevel(rule.detect.typescript!(input, setting.options), setting));
  return { findings, facts: wantFacts ? { ...textFacts, ...extractTypescriptFacts(input, text, { reachesSchema }) } : textFacts };
}

/** `001_init.down.sql`, `down.sql`, `20240101_x/down.sql`; `-- migrate:down` sections are split by the caller. */
export function migrationPhaseOf(path: string): 'up' | 'down' | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (/(?:^|[._-])(?:down|rollback|revert|undo)\.sql$/.test(name)) return 'down';
  if (/(?:^|[._-])up\.sql$/.test(name)) return 'up';
  return undefined;
}

export function analyzeSqlFile(input: SqlInput, settings: RuleSettings): FileAnalysis {
  const candidates = candidateRules(input.text, input.role, 'sql', settings);
  return { findings: candidates.flatMap(([rule, setting]) => applyLevel(rule.detect.sql!(input, setting.options), setting)) };
}

export function analyzeScriptFile(input: ScriptInput, settings: RuleSettings): FileAnalysis {
  const candidates = candidateRules(input.text, input.role, 'script', settings);
  return { findings: candidates.flatMap(([rule, setting]) => applyLevel(rule.detect.script!(input, setting.options), setting)) };
}

export function analyzePythonFile(
  path: string,
  text: string,
  role: FileRole,
  settings: RuleSettings,
  parse: (text: string) => PythonTree,
  { facts = false, textFacts }: Pick<FactOptions, 'facts' | 'textFacts'> = {},
): FileAnalysis {
  const candidates = candidateRules(text, role, 'python', settings);
  const wantFacts = facts && needsPythonFacts(text);
  if (candidates.length === 0 && !wantFacts) return { findings: [], facts: facts ? (textFacts ?? extractPythonTextFacts(text, role)) : undefined };
  const tree = parse(text);
  try {
    if (tree.rootNode.hasError) {
      const error = firstErrorNode(tree.rootNode);
      return { findings: [], parseError: { offset: error?.startIndex ?? 0, message: `Python syntax error near \`${(error?.text ?? '').slice(0, 40).split('\n')[0]}\`` } };
    }
    const input = { path, text, role, tree };
    const findings = candidates.flatMap(([rule, setting]) => applyLevel(rule.detect.python!(input, setting.options), setting));
    return { findings, facts: facts ? extractPythonFacts(input) : undefined };
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
