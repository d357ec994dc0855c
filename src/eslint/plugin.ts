import type { TSESLint } from '@typescript-eslint/utils';
import { rules as ruleModules } from '../../rules/index.js';
import { PACKAGE_NAME, VERSION } from '../core/package-info.js';
import type { RuleModule } from '../core/types.js';
import { toEslintRule } from './to-eslint-rule.js';

const rules = Object.fromEntries(
  Object.entries(ruleModules).map(([id, rule]) => [id, toEslintRule(rule as RuleModule<readonly unknown[]>)]),
) as Record<keyof typeof ruleModules, TSESLint.RuleModule<string, readonly unknown[]>>;

const plugin = {
  meta: { name: PACKAGE_NAME, version: VERSION, namespace: 'dbguard' },
  rules,
  configs: {} as Record<'recommended' | 'all', TSESLint.FlatConfig.Config>,
};

/** Configs are derived from rule meta, never hand-listed. */
function configFor(name: 'recommended' | 'all'): TSESLint.FlatConfig.Config {
  const entries = Object.values(ruleModules as Record<string, RuleModule<readonly unknown[]>>)
    .filter((rule) => name === 'all' || rule.meta.docs.recommended)
    .map((rule) => [`dbguard/${rule.meta.id}`, 'error'] as const);
  return { name: `dbguard/${name}`, plugins: { dbguard: plugin }, rules: Object.fromEntries(entries) };
}

plugin.configs.recommended = configFor('recommended');
plugin.configs.all = configFor('all');

export default plugin;
export { rules };
