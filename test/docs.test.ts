import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import type { AnyRuleModule } from '../src/core/types.js';
import { RULE_IDS } from '../src/core/types.js';
import { auditFiles } from './support/audit-snippet.js';

const RULES_DIR = join(import.meta.dirname, '..', 'rules');
const REQUIRED_SECTIONS = ['## Why this loses data', '## Examples', '## How to fix', '## Options', '## When not to use it'];

interface Example {
  language: string;
  verdict: '❌' | '✅';
  filename?: string;
  options?: unknown;
  code: string;
  line: number;
}

/** ```ts ❌ filename=src/migrations/1-x.ts options={"productionDatabases":["./app.db"]} */
function parseExamples(markdown: string): Example[] {
  const examples: Example[] = [];
  const fence = /^```(\w+) (❌|✅)([^\n]*)\n([\s\S]*?)^```$/gm;
  for (const m of markdown.matchAll(fence)) {
    const attributes = m[3]!;
    const filename = /filename=(\S+)/.exec(attributes)?.[1];
    const options = /options=(\S+)/.exec(attributes)?.[1];
    examples.push({ language: m[1]!, verdict: m[2] as '❌' | '✅', filename, options: options ? JSON.parse(options) : undefined, code: m[4]!, line: markdown.slice(0, m.index).split('\n').length });
  }
  return examples;
}

const DEFAULT_FILENAMES: Record<string, string> = {
  ts: 'src/example.ts',
  js: 'src/example.js',
  py: 'app/example.py',
  sql: 'db/schema.sql',
  json: 'package.json',
  dockerfile: 'Dockerfile',
  yaml: 'docker-compose.yml',
  sh: 'docker-entrypoint.sh',
  env: '.env.test',
};

const LANGUAGE_OF: Record<string, string> = { ts: 'typescript', js: 'typescript', py: 'python', sql: 'sql', json: 'script', dockerfile: 'script', yaml: 'script', sh: 'script', env: 'project' };

describe('rule docs', () => {
  it('every rule id has a folder with a README, and nothing else is in rules/', () => {
    const folders = readdirSync(RULES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(folders).toEqual([...RULE_IDS].sort());
    for (const id of RULE_IDS) expect(readdirSync(join(RULES_DIR, id))).toContain('README.md');
  });

  for (const rule of Object.values(rules as Record<string, AnyRuleModule>)) {
    const id = rule.meta.id;
    describe(id, () => {
      const markdown = readFileSync(join(RULES_DIR, id, 'README.md'), 'utf8');

      it('has the title, description and required sections', () => {
        expect(markdown.startsWith(`# ${id}\n\n${rule.meta.docs.description}.\n`)).toBe(true);
        for (const section of REQUIRED_SECTIONS) expect(markdown, `missing "${section}"`).toContain(`\n${section}\n`);
      });

      it('documents every option', () => {
        const properties = rule.meta.schema.flatMap((s) => Object.keys((s as { properties?: object }).properties ?? {}));
        for (const property of properties) expect(markdown, `option ${property} has no heading`).toMatch(new RegExp(`^### \`${property}\``, 'm'));
      });

      const examples = parseExamples(markdown);
      it('has at least one ❌ and one ✅ example', () => {
        expect(examples.some((e) => e.verdict === '❌')).toBe(true);
        expect(examples.some((e) => e.verdict === '✅')).toBe(true);
      });

      for (const example of examples) {
        const language = LANGUAGE_OF[example.language];
        const supported = language !== undefined && (rule.meta.languages as readonly string[]).includes(language);
        it.skipIf(!supported)(`README.md:${example.line} ${example.language} ${example.verdict} ${example.verdict === '❌' ? 'is reported' : 'is not reported'}`, async () => {
          const filename = example.filename ?? DEFAULT_FILENAMES[example.language]!;
          const config = { rules: Object.fromEntries(RULE_IDS.map((other) => [other, other === id ? ['error', ...(example.options ? [example.options] : [])] : 'off'])) };
          const result = await auditFiles({ [filename]: example.code }, config);
          expect(result.diagnostics.filter((d) => d.kind === 'parse-error')).toEqual([]);
          const found = result.findings.filter((f) => f.ruleId === id && !f.suppressed);
          if (example.verdict === '❌') expect(found.length, 'a ❌ example must be reported').toBeGreaterThan(0);
          else expect(found.map((f) => `${f.line}: ${f.message}`)).toEqual([]);
        });
      }
    });
  }
});
