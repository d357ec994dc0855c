import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../src/scanner/audit.js';
import { resolveConfig } from '../src/scanner/config.js';
import { kindOf } from '../src/scanner/discover.js';
import type { AuditResult } from '../src/scanner/result.js';
import { createRoleMatcher } from '../src/core/file-role.js';
import { interpolate } from '../src/core/messages.js';
import { createLocator } from '../src/core/location.js';
import { rules } from '../rules/index.js';
import type { AnyRuleModule, RuleId } from '../src/core/types.js';
import { analyzeTypescriptFile, suppress, type RuleSetting } from '../src/scanner/analyze-file.js';
import { parseAnnotations } from './support/annotations.js';
import { ESLINT_VERSIONS, lintWithEslint } from './support/eslint.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Every fixture root: one folder per rule under fixtures/rules, one per mini-repo under fixtures/repos. */
function fixtureRoots(): string[] {
  return ['rules', 'repos'].flatMap((group) => {
    const dir = join(FIXTURES, group);
    try {
      return readdirSync(dir).map((name) => join(dir, name)).filter((p) => statSync(p).isDirectory());
    } catch {
      return [];
    }
  });
}

function ruleOptionsOf(root: string): Record<string, unknown[]> {
  try {
    const config = JSON.parse(readFileSync(join(root, 'dbguard.config.json'), 'utf8')) as { rules?: Record<string, unknown[]> };
    return Object.fromEntries(Object.entries(config.rules ?? {}).map(([id, value]) => [id, Array.isArray(value) ? value.slice(1) : []]));
  } catch {
    return {};
  }
}

const JS_TS = /\.[cm]?[jt]sx?$/;

for (const root of fixtureRoots()) {
  const options = ruleOptionsOf(root);
  const settings = new Map<RuleId, RuleSetting>(
    Object.values(rules as Record<string, AnyRuleModule>).map((rule) => [rule.meta.id, { level: 'error', options: (options[rule.meta.id] ?? rule.meta.defaultOptions) as unknown[] }]),
  );
  const roleOf = createRoleMatcher();
  describe(relative(FIXTURES, root), () => {
    let result: AuditResult;
    beforeAll(async () => {
      const config = resolveConfig({ rules: Object.fromEntries([...settings].map(([id, s]) => [id, ['error', ...s.options]])) }, join(root, 'dbguard.config.json'));
      result = await audit({ paths: ['.'], cwd: root, root, config });
    });

    it('every file is analysed without parse errors', () => {
      expect(result.diagnostics.filter((d) => d.kind === 'parse-error')).toEqual([]);
    });

    // Every annotated file, whatever its kind: the whole audit (per-file and whole-repo analyses) must match.
    for (const file of listFiles(root).filter((f) => kindOf(relative(root, f).split('\\').join('/')) !== undefined)) {
      const path = relative(root, file).split('\\').join('/');
      it(`${path}: the audit matches the annotations`, () => {
        const annotations = parseAnnotations(readFileSync(file, 'utf8'));
        const actual = result.findings.filter((f) => f.file === path && !f.suppressed).map((f) => `${f.line} ${f.ruleId} ${f.severity}`).sort();
        const expected = [...annotations.expected, ...annotations.knownWrong].map((e) => `${e.line} ${e.ruleId} ${e.severity}`).sort();
        expect(actual).toEqual(expected);
        for (const missing of annotations.knownMissing) {
          expect(actual.some((a) => a.startsWith(`${missing.line} ${missing.ruleId} `)), `todoruleid at line ${missing.line} is now found: make it ruleid`).toBe(false);
        }
      });
    }

    for (const file of listFiles(root).filter((f) => JS_TS.test(f))) {
      const path = relative(root, file).split('\\').join('/');
      const text = readFileSync(file, 'utf8');
      const analysis = analyzeTypescriptFile(path, text, roleOf(path), settings);
      const locate = createLocator(text);
      const scannerFindings = suppress(text, analysis.findings, 'typescript').active.map((f) => {
        const start = locate(f.range[0]);
        const end = locate(f.range[1]);
        const rule = (rules as Record<string, AnyRuleModule>)[f.ruleId]!;
        return { ruleId: f.ruleId, severity: f.severity, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, message: interpolate(rule.meta.messages[f.messageId]!, f.data) };
      });

      it(`${path}: parses`, () => expect(analysis.parseError).toBeUndefined());

      for (const [name, Linter] of Object.entries(ESLINT_VERSIONS)) {
        it(`${path}: ${name} reports exactly what the scanner reports`, () => {
          const eslint = lintWithEslint(Linter, text, file, root, options);
          const fromScanner = scannerFindings.map(({ severity: _, ...rest }) => rest);
          const byPosition = (a: { line: number; column: number; ruleId: string }, b: { line: number; column: number; ruleId: string }) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId);
          expect(eslint.sort(byPosition)).toEqual(fromScanner.sort(byPosition));
        });
      }
    }
  });
}
