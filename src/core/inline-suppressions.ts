import type { Finding } from './types.js';

export type CommentSyntax = 'typescript' | 'python' | 'sql' | 'hash' | 'none';

export interface SuppressedFinding {
  finding: Finding;
  kind: 'inline' | 'file' | 'eslint-directive';
  justification: string;
}

export interface SuppressionProblem {
  /** Offset of the directive comment. */
  offset: number;
  message: string;
}

export interface SuppressionOutcome {
  active: Finding[];
  suppressed: SuppressedFinding[];
  problems: SuppressionProblem[];
}

const COMMENT_OPENERS: Record<CommentSyntax, string> = {
  typescript: String.raw`\/\/|\/\*`,
  python: '#',
  sql: String.raw`--|\/\*`,
  hash: '#',
  none: '(?!)',
};

interface Directive {
  scope: 'next-line' | 'file' | 'eslint-next-line' | 'eslint-line' | 'eslint-disable' | 'eslint-enable';
  line: number;
  offset: number;
  /** Empty means every rule (bare `eslint-disable`). */
  ruleIds: string[];
  reason: string | undefined;
  used: boolean;
}

function parseDirectives(text: string, syntax: CommentSyntax, honourEslint: boolean): Directive[] {
  const directives: Directive[] = [];
  const opener = COMMENT_OPENERS[syntax];
  const dbguard = new RegExp(String.raw`(?:${opener})\s*dbguard-ignore-(next-line|file)\b([^\n]*)`, 'g');
  const eslint = new RegExp(String.raw`(?:\/\/|\/\*)\s*eslint-(disable-next-line|disable-line|disable|enable)\b([^\n]*)`, 'g');
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineOf = (offset: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
  for (const m of text.matchAll(dbguard)) {
    const body = m[2]!.replace(/\*\/.*$/, '').trim();
    const [ids = '', ...reasonParts] = body.split(/\s+--\s*/);
    const reason = reasonParts.join(' -- ').trim();
    directives.push({
      scope: m[1] === 'file' ? 'file' : 'next-line',
      line: lineOf(m.index),
      offset: m.index,
      ruleIds: ids.split(/[\s,]+/).filter(Boolean).map((id) => id.replace(/^dbguard\//, '')),
      reason: reason.length > 0 ? reason : undefined,
      used: false,
    });
  }
  if (honourEslint && syntax === 'typescript') {
    for (const m of text.matchAll(eslint)) {
      const body = m[2]!.replace(/\*\/.*$/, '');
      const [ids = '', ...reasonParts] = body.split(/\s+--\s*/);
      const ruleIds = ids.split(/[\s,]+/).filter(Boolean);
      // Only bare directives and those naming dbguard rules concern us.
      if (ruleIds.length > 0 && !ruleIds.some((id) => id.startsWith('dbguard/'))) continue;
      directives.push({
        scope: m[1] === 'disable-next-line' ? 'eslint-next-line' : m[1] === 'disable-line' ? 'eslint-line' : m[1] === 'disable' ? 'eslint-disable' : 'eslint-enable',
        line: lineOf(m.index),
        offset: m.index,
        ruleIds: ruleIds.filter((id) => id.startsWith('dbguard/')).map((id) => id.slice('dbguard/'.length)),
        reason: reasonParts.join(' -- ').trim() || undefined,
        used: false,
      });
    }
  }
  return directives.sort((a, b) => a.offset - b.offset);
}

const appliesTo = (directive: Directive, ruleId: string) => directive.ruleIds.length === 0 || directive.ruleIds.includes(ruleId);

/**
 * `dbguard-ignore-next-line <rule-id> -- <reason>` and `dbguard-ignore-file <rule-id> -- <reason>`
 * in the file's own comment syntax; the scanner also honours `eslint-disable*` for `dbguard/<id>` in
 * JS/TS so both faces agree. A dbguard directive without a reason does not suppress: the reason is
 * what a reviewer reads later.
 */
export function applyInlineSuppressions(
  text: string,
  findings: readonly Finding[],
  syntax: CommentSyntax,
  { honourEslint = false, lineOf }: { honourEslint?: boolean; lineOf?: (offset: number) => number } = {},
): SuppressionOutcome {
  if (findings.length === 0 && !text.includes('dbguard-ignore')) return { active: [], suppressed: [], problems: [] };
  const directives = parseDirectives(text, syntax, honourEslint);
  if (directives.length === 0) return { active: [...findings], suppressed: [], problems: [] };
  const getLine = lineOf ?? ((offset: number) => text.slice(0, offset).split('\n').length);
  const problems: SuppressionProblem[] = [];
  for (const d of directives) {
    if ((d.scope === 'next-line' || d.scope === 'file') && d.reason === undefined) {
      problems.push({ offset: d.offset, message: `dbguard-ignore-${d.scope} needs a reason after \` -- \` (e.g. \`dbguard-ignore-${d.scope} ${d.ruleIds[0] ?? '<rule-id>'} -- runs only in CI\`); this one suppresses nothing` });
    }
    if ((d.scope === 'next-line' || d.scope === 'file') && d.ruleIds.length === 0) {
      problems.push({ offset: d.offset, message: `dbguard-ignore-${d.scope} must name the rule it suppresses` });
    }
  }
  const active: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of findings) {
    const line = getLine(finding.range[0]);
    let match: { directive: Directive; kind: SuppressedFinding['kind'] } | undefined;
    let disabledByBlock: Directive | undefined;
    for (const d of directives) {
      if (d.ruleIds.length === 0 && (d.scope === 'next-line' || d.scope === 'file')) continue;
      if (!appliesTo(d, finding.ruleId)) continue;
      if (d.scope === 'next-line' && d.line === line - 1 && d.reason !== undefined) match = { directive: d, kind: 'inline' };
      else if (d.scope === 'file' && d.reason !== undefined) match ??= { directive: d, kind: 'file' };
      else if ((d.scope === 'eslint-next-line' && d.line === line - 1) || (d.scope === 'eslint-line' && d.line === line)) match = { directive: d, kind: 'eslint-directive' };
      else if (d.scope === 'eslint-disable' && d.offset < finding.range[0]) disabledByBlock = d;
      else if (d.scope === 'eslint-enable' && d.offset < finding.range[0]) disabledByBlock = undefined;
    }
    match ??= disabledByBlock ? { directive: disabledByBlock, kind: 'eslint-directive' } : undefined;
    if (match) {
      match.directive.used = true;
      suppressed.push({ finding, kind: match.kind, justification: match.directive.reason ?? '' });
    } else {
      active.push(finding);
    }
  }
  for (const d of directives) {
    if (!d.used && d.reason !== undefined && (d.scope === 'next-line' || d.scope === 'file') && d.ruleIds.length > 0) {
      problems.push({ offset: d.offset, message: `unused dbguard-ignore-${d.scope} for ${d.ruleIds.join(', ')}: nothing here is reported any more, remove the comment` });
    }
  }
  return { active, suppressed, problems };
}
