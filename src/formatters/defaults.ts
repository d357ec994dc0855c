import { rules } from '../../rules/index.js';
import { getDocsUrl, REPOSITORY_URL, VERSION } from '../core/package-info.js';
import type { AnyRuleModule, RuleDocs } from '../core/types.js';
import type { FormatterContext, ToolInfo } from './types.js';

export const TOOL: ToolInfo = { name: 'dbguard', version: VERSION, informationUri: REPOSITORY_URL, docsUrl: getDocsUrl };

/** Docs of every rule registered in `rules/index.ts`, by id. */
export function getRegisteredRuleDocs(): ReadonlyMap<string, RuleDocs> {
  return new Map(Object.values(rules as Record<string, AnyRuleModule>).map((rule) => [rule.meta.id, rule.meta.docs]));
}

export function toolOf(context: FormatterContext): ToolInfo {
  return context.tool ?? TOOL;
}

export function rulesOf(context: FormatterContext): ReadonlyMap<string, RuleDocs> {
  return context.rules ?? getRegisteredRuleDocs();
}
