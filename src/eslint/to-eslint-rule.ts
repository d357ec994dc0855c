import { relative, sep } from 'node:path';
import { ESLintUtils, type TSESLint } from '@typescript-eslint/utils';
import { canReport } from '../core/can-report.js';
import { createRoleMatcher } from '../core/file-role.js';
import { getDocsUrl } from '../core/package-info.js';
import { DEFAULT_MAX_FILE_SIZE, looksGenerated } from '../core/generated-code.js';
import { applyInlineSuppressions } from '../core/inline-suppressions.js';
import { createTsInput, TS_EXTENSIONS } from '../core/ts-input.js';
import type { FileRole, RoleGlobs, RuleModule, TsInput } from '../core/types.js';

export interface DbguardDocs {
  description: string;
  recommended: boolean;
}

const createRule = ESLintUtils.RuleCreator<DbguardDocs>((name) => getDocsUrl(name));

/** One parse per linted file, shared by every dbguard rule that runs on it. */
const inputs = new WeakMap<TSESLint.SourceCode, TsInput>();

/** `settings.dbguard`: extra role globs, and what to do with findings the audit would rate a warning. */
interface DbguardSettings extends Partial<RoleGlobs> {
  /**
   * ESLint has one severity per rule. Findings the audit rates a warning (an intended drop in a
   * migration's `up()`, a flag driven by an environment variable) are reported at the rule's level
   * by default (`'report'`); `'off'` leaves them to `dbguard audit`.
   */
  warnings?: 'report' | 'off';
  /** Larger files are skipped, as `dbguard audit` skips them (bytes, default 512 KB). */
  maxFileSize?: number;
}

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

function getPathAndRole(context: Context): { path: string; role: FileRole } {
  const path = relative(context.cwd, context.filename).split(sep).join('/');
  const { warnings: _, maxFileSize: __, ...roles } = (context.settings as { dbguard?: DbguardSettings }).dbguard ?? {};
  return { path, role: createRoleMatcher(roles)(path) };
}

function getInput(context: Context, path: string, role: FileRole): TsInput {
  const sourceCode = context.sourceCode;
  let input = inputs.get(sourceCode);
  if (!input) {
    // `<input>` and virtual files from processors: parse as TypeScript, which accepts JS too.
    const parsePath = TS_EXTENSIONS.test(path) ? path : `${path}.ts`;
    input = createTsInput(parsePath, sourceCode.text, role);
    input.path = path;
    inputs.set(sourceCode, input);
  }
  return input;
}

/**
 * The ESLint face of a rule: parse once with the core's TypeScript, run the rule's TypeScript
 * detector, apply dbguard's inline suppressions, report. ESLint interpolates the same messages the
 * scanner does, and `eslint-disable` comments are ESLint's own business.
 */
export function toEslintRule(rule: RuleModule<readonly unknown[]>) {
  return createRule<readonly unknown[], string>({
    name: rule.meta.id,
    meta: {
      type: 'problem',
      docs: { description: rule.meta.docs.description, recommended: rule.meta.docs.recommended },
      messages: rule.meta.messages,
      schema: rule.meta.schema,
      hasSuggestions: rule.meta.hasSuggestions,
    },
    defaultOptions: rule.meta.defaultOptions,
    create(context, options) {
      const detect = rule.detect.typescript;
      if (!detect) return {};
      return {
        Program() {
          const text = context.sourceCode.text;
          if (!rule.prefilter.test(text)) return;
          const { path, role } = getPathAndRole(context);
          if (!canReport(rule, text, role, 'typescript', options)) return;
          // What the audit would not read (too large, minified), ESLint's face does not analyse either.
          const maxFileSize = (context.settings as { dbguard?: DbguardSettings }).dbguard?.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
          if (Buffer.byteLength(text) > maxFileSize || looksGenerated(text)) return;
          const input = getInput(context, path, role);
          const reportWarnings = (context.settings as { dbguard?: DbguardSettings }).dbguard?.warnings !== 'off';
          const { active } = applyInlineSuppressions(input.text, detect(input, options), 'typescript');
          for (const finding of active) {
            if (finding.severity === 'warning' && !reportWarnings) continue;
            context.report({
              messageId: finding.messageId,
              data: finding.data,
              loc: {
                start: context.sourceCode.getLocFromIndex(finding.range[0]),
                end: context.sourceCode.getLocFromIndex(finding.range[1]),
              },
              suggest: finding.suggestions?.map((s) => ({
                messageId: s.messageId,
                data: s.data,
                fix: (fixer: TSESLint.RuleFixer) => fixer.replaceTextRange([s.fix.range[0], s.fix.range[1]], s.fix.text),
              })),
            });
          }
        },
      };
    },
  });
}
