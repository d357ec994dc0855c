import { readFileSync, writeFileSync } from 'node:fs';
import { ConfigError } from './errors.js';
import type { AuditResult, Diagnostic } from './result.js';

/**
 * ESLint's bulk-suppressions format (`eslint-suppressions.json`): per file, per rule, a count. Counts
 * rather than lines or fingerprints, so editing a file does not invalidate its entries; a file with
 * more findings than its count reports the excess.
 */
export type Baseline = Record<string, Record<string, { count: number }>>;

export function readBaseline(file: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(file, '', code === 'ENOENT' ? 'baseline file does not exist (create it with --update-baseline)' : `is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(file, '', 'must be an object of files');
  for (const [path, byRule] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof byRule !== 'object' || byRule === null) throw new ConfigError(file, path, 'must be an object of rule ids');
    for (const [ruleId, entry] of Object.entries(byRule as Record<string, unknown>)) {
      const count = (entry as { count?: unknown } | null)?.count;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) throw new ConfigError(file, `${path}.${ruleId}.count`, 'must be a non-negative integer');
    }
  }
  return raw as Baseline;
}

/** Marks up to `count` findings per file and rule as baselined, in file order; reports entries with fewer findings than counted. */
export function applyBaseline(result: AuditResult, baseline: Baseline, baselineFile: string): AuditResult {
  const remaining = new Map<string, number>();
  for (const [file, byRule] of Object.entries(baseline)) for (const [ruleId, { count }] of Object.entries(byRule)) remaining.set(`${file}\0${ruleId}`, count);
  const findings = result.findings.map((finding) => {
    if (finding.suppressed) return finding;
    const key = `${finding.file}\0${finding.ruleId}`;
    const left = remaining.get(key) ?? 0;
    if (left === 0) return finding;
    remaining.set(key, left - 1);
    return { ...finding, suppressed: { kind: 'baseline' as const, justification: `listed in ${baselineFile}` } };
  });
  const stale: Diagnostic[] = [];
  for (const [key, left] of remaining) {
    if (left === 0) continue;
    const [file, ruleId] = key.split('\0') as [string, string];
    stale.push({ file, message: `baseline lists ${left} more ${ruleId} finding${left === 1 ? '' : 's'} than remain: run with --update-baseline to prune`, kind: 'baseline', severity: 'warning' });
  }
  const active = findings.filter((f) => !f.suppressed);
  return {
    ...result,
    findings,
    diagnostics: [...result.diagnostics, ...stale],
    summary: {
      ...result.summary,
      errors: active.filter((f) => f.severity === 'error').length,
      warnings: active.filter((f) => f.severity === 'warning').length,
      suppressed: findings.length - active.length,
    },
  };
}

export function buildBaseline(result: AuditResult): Baseline {
  const baseline: Baseline = {};
  for (const finding of result.findings) {
    if (finding.suppressed && finding.suppressed.kind !== 'baseline') continue;
    const byRule = (baseline[finding.file] ??= {});
    byRule[finding.ruleId] = { count: (byRule[finding.ruleId]?.count ?? 0) + 1 };
  }
  return baseline;
}

export function writeBaseline(file: string, baseline: Baseline): void {
  const sorted = Object.fromEntries(Object.keys(baseline).sort().map((f) => [f, Object.fromEntries(Object.keys(baseline[f]!).sort().map((r) => [r, baseline[f]![r]!]))]));
  writeFileSync(file, `${JSON.stringify(sorted, null, 2)}\n`);
}
