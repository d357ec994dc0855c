import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { createRoleMatcher } from '../src/core/file-role.js';
import { loadPythonParser, parsePython } from '../src/core/python/parser.js';
import { createTsInput } from '../src/core/ts-input.js';
import type { AnyRuleModule, Finding } from '../src/core/types.js';
import { migrationPhaseOf } from '../src/scanner/analyze-file.js';
import { LOCATION_TEXT } from '../src/scanner/facts.js';
import { collectLocationFacts } from '../rules/no-test-prod-database/no-test-prod-database.js';
import { collectPythonLocationFacts } from '../rules/no-test-prod-database/python.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const ALL = Object.values(rules as Record<string, AnyRuleModule>);

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

function fixtureFiles(): { root: string; file: string }[] {
  return ['rules', 'repos'].flatMap((group) =>
    readdirSync(join(FIXTURES, group)).flatMap((name) => {
      const root = join(FIXTURES, group, name);
      return statSync(root).isDirectory() ? listFiles(root).map((file) => ({ root, file })) : [];
    }),
  );
}

const key = (f: Finding) => `${f.ruleId}@${f.range[0]}:${f.messageId}`;

/**
 * The prefilter lets both faces skip parsing files no rule could match. It must be a necessary
 * condition: on every fixture, a rule whose prefilter rejects the text finds nothing when run anyway.
 */
describe('rule prefilters never hide a finding', () => {
  let parsePy: (text: string) => ReturnType<typeof parsePython>;
  beforeAll(async () => {
    const parser = await loadPythonParser();
    parsePy = (text) => parsePython(parser, text);
  });
  const roleOf = createRoleMatcher();

  for (const { root, file } of fixtureFiles()) {
    const path = relative(root, file).split('\\').join('/');
    const label = relative(FIXTURES, file);
    if (/\.[cm]?[jt]sx?$/.test(path)) {
      it(label, () => {
        const text = readFileSync(file, 'utf8');
        const input = createTsInput(path, text, roleOf(path));
        for (const rule of ALL.filter((r) => r.detect.typescript && !r.prefilter.test(text))) {
          expect(rule.detect.typescript!(input, rule.meta.defaultOptions).map(key), `${rule.meta.id} prefilter rejected a file it reports on`).toEqual([]);
        }
        if (!LOCATION_TEXT.test(text)) expect(collectLocationFacts(input), 'LOCATION_TEXT rejected a file with database locations').toEqual([]);
      });
    } else if (path.endsWith('.py')) {
      it(label, () => {
        const text = readFileSync(file, 'utf8');
        const tree = parsePy(text);
        try {
          for (const rule of ALL.filter((r) => r.detect.python && !r.prefilter.test(text))) {
            expect(rule.detect.python!({ path, text, role: roleOf(path), tree }, rule.meta.defaultOptions).map(key), `${rule.meta.id} prefilter rejected a file it reports on`).toEqual([]);
          }
          if (!LOCATION_TEXT.test(text)) expect(collectPythonLocationFacts({ path, text, role: roleOf(path), tree }), 'LOCATION_TEXT rejected a file with database locations').toEqual([]);
        } finally {
          tree.delete();
        }
      });
    } else if (path.endsWith('.sql')) {
      it(label, () => {
        const text = readFileSync(file, 'utf8');
        for (const rule of ALL.filter((r) => r.detect.sql && !r.prefilter.test(text))) {
          const input = { path, text, role: roleOf(path), migrationPhase: migrationPhaseOf(path), executedBy: 'app.ts' };
          expect(rule.detect.sql!(input, rule.meta.defaultOptions).map(key), `${rule.meta.id} prefilter rejected a file it reports on`).toEqual([]);
        }
      });
    }
  }

  it('every rule has a prefilter that rejects ordinary code', () => {
    const ordinary = 'export function add(a: number, b: number) {\n  return a + b;\n}\n';
    expect(ALL.filter((rule) => rule.prefilter.test(ordinary)).map((rule) => rule.meta.id)).toEqual([]);
  });
});
