import { relative, sep } from 'node:path';
import { ESLintUtils, type TSESLint } from '@typescript-eslint/utils';
import { createRoleMatcher } from '../core/file-role.js';
import { getDocsUrl } from '../core/package-info.js';
import { applyInlineSuppressions } from '../core/inline-suppressions.js';
import { createTsInput, TS_EXTENSIONS } from '../core/ts-input.js';
import type { RoleGlobs, RuleModule, TsInput } from '../core/types.js';

export interface DbguardDocs {
  description: string;
  recommended: boolean;
}

const createRule = ESLintUtils.RuleCreator<DbguardDocs>((name) => getDocsUrl(name));

/** One parse per linted file, shared by every dbguard rule that runs on it. */
const inputs = new WeakMap<TSESLint.SourceCode, TsInput>();

function getInput(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): TsInput {
  const sourceCode = context.sourceCode;
  let input = inputs.get(sourceCode);
  if (!input) {
    const path = relative(context.cwd, context.filename).split(sep).join('/');
    const settings = (context.settings as { dbguard?: Partial<RoleGlobs> }).dbguard;
    const role = createRoleMatcher(settings)(path);
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
          if (!rule.prefilter.test(context.sourceCode.text)) return;
          const input = getInput(context);
          const { active } = applyInlineSuppressions(input.text, detect(input, options), 'typescript');
          for (const finding of active) {
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
