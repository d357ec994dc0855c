import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { createRoleMatcher } from '../src/core/file-role.js';
import { loadPythonParser, parsePython } from '../src/core/python/parser.js';
import { createTsInput } from '../src/core/ts-input.js';
import { canReport } from '../src/core/can-report.js';
import type { AnyRuleModule, FileRole, Finding, InputLanguage } from '../src/core/types.js';
import { migrationPhaseOf } from '../src/scanner/analyze-file.js';
import { LOCATION_TEXT, mayHoldTsLocation } from '../src/scanner/text-facts.js';
import { calledImportSpecifiers } from './support/called-imports.js';
import { SCHEMA_CREATION_TEXT } from '../rules/no-schema-in-constructor/no-schema-in-constructor.js';
import { summarizeSchemaCreation } from '../src/core/ts-helpers/schema-creation.js';
import { mayHoldConstruction, TS_SCHEMA_SITE_TEXT } from '../src/core/ts-helpers/schema-creation-text.js';
import { summarizePythonSchemaCreation } from '../src/core/python/schema-creation.js';
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

const ROLES: readonly FileRole[] = ['application', 'migration', 'seed', 'test', 'testConfig'];

/**
 * The prefilter and `mayReportIn` let both faces skip parsing files no rule could match. Together
 * they must be a necessary condition: on every fixture, read as every role, a rule that `canReport`
 * rejects finds nothing when run anyway.
 */
describe('prefilters never hide a finding', () => {
  let parsePy: (text: string) => ReturnType<typeof parsePython>;
  beforeAll(async () => {
    const parser = await loadPythonParser();
    parsePy = (text) => parsePython(parser, text);
  });
  const roleOf = createRoleMatcher();
  const rejecting = (language: InputLanguage, text: string, role: FileRole) =>
    ALL.filter((rule) => rule.detect[language] && !canReport(rule, text, role, language, rule.meta.defaultOptions));

  for (const { root, file } of fixtureFiles()) {
    const path = relative(root, file).split('\\').join('/');
    const label = relative(FIXTURES, file);
    if (/\.[cm]?[jt]sx?$/.test(path)) {
      it(label, () => {
        const text = readFileSync(file, 'utf8');
        for (const role of ROLES) {
          const input = createTsInput(path, text, role);
          for (const rule of rejecting('typescript', text, role)) {
            expect(rule.detect.typescript!(input, rule.meta.defaultOptions).map(key), `${rule.meta.id} rejected a file it reports on, read as ${role}`).toEqual([]);
          }
        }
        const classes = summarizeSchemaCreation(createTsInput(path, text, 'application').sourceFile, 'application').functions.filter((f) => f.kind === 'constructor');
        if (!mayHoldConstruction(text)) expect(classes.map((f) => f.id), 'mayHoldConstruction rejected a file whose classes construct something').toEqual([]);
        if (!TS_SCHEMA_SITE_TEXT.test(text)) expect(summarizeSchemaCreation(createTsInput(path, text, 'application').sourceFile, 'application').functions.flatMap((f) => f.sites), 'TS_SCHEMA_SITE_TEXT rejected a file that creates schema').toEqual([]);
        if (!mayHoldTsLocation(text)) expect(collectLocationFacts(createTsInput(path, text, roleOf(path))), 'mayHoldTsLocation rejected a file with database locations').toEqual([]);
        const called = calledImportSpecifiers(text);
        const followed = summarizeSchemaCreation(createTsInput(path, text, 'application').sourceFile, 'application').functions.flatMap((f) => f.importedCalls.filter((c) => c.via === 'call' && c.module.startsWith('.')));
        expect(followed.filter((c) => !called.has(c.module)), 'calledImportSpecifiers missed a call a schema summary follows').toEqual([]);
      });
    } else if (path.endsWith('.py')) {
      it(label, () => {
        const text = readFileSync(file, 'utf8');
        const tree = parsePy(text);
        try {
          for (const role of ROLES) {
            for (const rule of rejecting('python', text, role)) {
              expect(rule.detect.python!({ path, text, role, tree }, rule.meta.defaultOptions).map(key), `${rule.meta.id} rejected a file it reports on, read as ${role}`).toEqual([]);
            }
          }
          if (!SCHEMA_CREATION_TEXT.test(text)) expect(summarizePythonSchemaCreation({ tree, text, role: 'application' }).functions.flatMap((f) => f.sites), 'SCHEMA_CREATION_TEXT rejected a file that creates schema').toEqual([]);
          if (!LOCATION_TEXT.test(text)) expect(collectPythonLocationFacts({ path, text, role: roleOf(path), tree }), 'LOCATION_TEXT rejected a file with database locations').toEqual([]);
        } finally {
          tree.delete();
        }
      });
    } else if (path.endsWith('.sql')) {
      it(label, () => {
        const text = readFileSync(file, 'utf8');
        for (const role of ROLES) {
          for (const rule of rejecting('sql', text, role)) {
            const input = { path, text, role, migrationPhase: migrationPhaseOf(path), executedBy: 'app.ts' };
            expect(rule.detect.sql!(input, rule.meta.defaultOptions).map(key), `${rule.meta.id} rejected a file it reports on, read as ${role}`).toEqual([]);
          }
        }
      });
    }
  }

  it('every rule has a prefilter that rejects ordinary code', () => {
    const ordinary = 'export function add(a: number, b: number) {\n  return a + b;\n}\n';
    expect(ALL.filter((rule) => rule.prefilter.test(ordinary)).map((rule) => rule.meta.id)).toEqual([]);
  });
});

describe('mayHoldTsLocation', () => {
  const locations = (text: string) => collectLocationFacts(createTsInput('src/config.ts', text, 'application'));

  it.each([
    "export const dbPath = 'data/app';",
    "export const dbFileName = 'app';",
    "export const sqliteFilename = 'app';",
    "export const DB_FILE_NAME = 'app';",
    "export const config = { database: { url: 'postgres://db.internal/app' } };",
  ])('lets `%s` be parsed, and it gives a location', (text) => {
    expect(mayHoldTsLocation(text)).toBe(true);
    expect(locations(text)).not.toEqual([]);
  });

  it.each(["export const config = { dbName: 'payload' };", "export const DB_NAME = 'payload';", "const collectionName = 'posts';"])(
    'does not parse `%s`: a name ending in "name" names a database on a server, not where it is',
    (text) => {
      expect(mayHoldTsLocation(text)).toBe(false);
      expect(locations(text)).toEqual([]);
    },
  );
});

describe('the idempotent-migration-insert gate in JS/TS', () => {
  const rule = (rules as Record<string, AnyRuleModule>)['idempotent-migration-insert']!;
  const findings = (text: string) => rule.detect.typescript!(createTsInput('migrations/001.ts', text, 'migration'), rule.meta.defaultOptions);

  it.each([
    "export async function up(knex) { await knex('users').insert({ id: 1 }); }",
    "export async function up(knex) { await knex('users').insert!({ id: 1 }); }",
    "export async function up(knex) { await knex('users').insert<User>({ id: 1 }); }",
    "export async function up(db) { await db.exec('INSERT\\nINTO users (id) VALUES (1)'); }",
    'export async function up(db) { await db.exec(`INSERT INTO users (id) VALUES (1)`); }',
  ])('parses `%s`, and the rule reports it', (text) => {
    expect(canReport(rule, text, 'migration', 'typescript', rule.meta.defaultOptions)).toBe(true);
    expect(findings(text)).not.toEqual([]);
  });

  it('does not parse a type that only names an insert member', () => {
    const text = 'export interface Adapter {\n  insert: InsertRows;\n  bulkInsert?: InsertRows;\n}\n';
    expect(canReport(rule, text, 'migration', 'typescript', rule.meta.defaultOptions)).toBe(false);
    expect(findings(text)).toEqual([]);
  });
});
