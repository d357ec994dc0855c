import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/scanner/audit.js';
import { resolveConfig } from '../../src/scanner/config.js';
import { analyzeTypescriptFile, defaultRuleSettings } from '../../src/scanner/analyze-file.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** The whole-repo findings of this rule as `file:line messageId`, for a repository made of `files`. */
async function auditRepo(files: Record<string, string>): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), 'dbguard-tpd-'));
  roots.push(root);
  writeFileSync(join(root, 'package.json'), '{"name":"sample","private":true}\n');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  const result = await audit({ paths: ['.'], cwd: root, root, config: resolveConfig(undefined, join(root, 'dbguard.config.json')) });
  return result.findings.filter((f) => f.ruleId === 'no-test-prod-database').map((f) => `${f.file}:${f.line} ${f.messageId}`).sort();
}

function opened(code: string, path = 'src/store.ts'): [string, boolean][] {
  const facts = analyzeTypescriptFile(path, code, 'application', defaultRuleSettings(), { facts: true }).facts;
  return (facts?.locations ?? []).map((l) => [l.shown, l.opens === true]);
}

const TEST_IMPORTING_STORE = "// the helper never names a database itself\nconst Store = require('../src/store');\nmodule.exports = () => Store;\n";

describe('LocationFact.opens (TypeScript)', () => {
  it('marks what a module opens or exports as its database, not a template it only copies', () => {
    const code = [
      "import Database from 'better-sqlite3';",
      "import fs from 'node:fs';",
      "const TEMPLATE = './resources/empty.db';",
      "const DB_FILE = './data/app.db';",
      'export class Store {',
      "  static templatePath = './resources/template.db';",
      "  static dbPath = './data/store.sqlite';",
      '}',
      'fs.copyFileSync(TEMPLATE, DB_FILE);',
      'export const db = new Database(DB_FILE);',
      "export const DATABASE_URL = process.env.DATABASE_URL ?? 'sqlite:///./kanban.db';",
      "export const options = { type: 'sqlite', database: 'main.sqlite' };",
      "process.env.SQLITE_PATH = './data/env.db';",
      '',
    ].join('\n');
    expect(opened(code)).toEqual([
      ['./resources/empty.db', false],
      ['./data/app.db', true],
      ['./resources/template.db', false],
      ['./data/store.sqlite', true],
      ['sqlite:///./kanban.db', true],
      ['main.sqlite', true],
      ['./data/env.db', true],
    ]);
  });
});

describe('no-test-prod-database across files', () => {
  it('F3: stays silent when the imported module only copies a template database', async () => {
    const store = [
      "const fs = require('node:fs');",
      "const path = require('node:path');",
      'class Store {',
      "  static templatePath = './resources/empty-template.db';",
      '  static initDataDir(options) {',
      "    Store.filePath = path.join(options.dataDir, 'store.sqlite');",
      '  }',
      '  static prepare() {',
      '    fs.copyFileSync(Store.templatePath, Store.filePath);',
      '  }',
      '}',
      'module.exports = Store;',
      '',
    ].join('\n');
    expect(await auditRepo({ 'src/store.js': store, 'test/scratch.js': TEST_IMPORTING_STORE })).toEqual([]);
  });

  it('F3: still reports a test that imports the module which opens the database', async () => {
    const store = "const Database = require('better-sqlite3');\nconst DB_FILE = './data/store.sqlite';\nmodule.exports = new Database(DB_FILE);\n";
    expect(await auditRepo({ 'src/store.js': store, 'test/scratch.js': TEST_IMPORTING_STORE })).toEqual(['test/scratch.js:2 importsProductionModule']);
  });

  it('F3 (Python): a template copied with shutil is not the database the module opens', async () => {
    const module = 'import shutil\nTEMPLATE = "resources/empty.db"\n\ndef prepare(target):\n    shutil.copy(TEMPLATE, target)\n';
    const test = 'from app import store\n\n\ndef test_prepare(tmp_path):\n    store.prepare(tmp_path)\n';
    expect(await auditRepo({ 'app/store.py': module, 'app/__init__.py': '', 'tests/test_store.py': test })).toEqual([]);
    const opening = 'from sqlalchemy import create_engine\nURL = "sqlite:///./kanban.db"\nengine = create_engine(URL)\n';
    expect(await auditRepo({ 'app/store.py': opening, 'app/__init__.py': '', 'tests/test_store.py': test })).toEqual(['tests/test_store.py:1 importsProductionModule']);
  });

  it('F1: compose credentials, even identical in the test stack, are not a shared database', async () => {
    const service = (volume: boolean) =>
      [
        'services:',
        '  docstore:',
        '    image: mongo:8',
        '    environment:',
        '      MONGO_INITDB_ROOT_USERNAME: ${DOCSTORE_ADMIN_USERNAME}',
        '      MONGO_INITDB_ROOT_PASSWORD: ${DOCSTORE_ADMIN_PASSWORD}',
        '      POSTGRES_PASSWORD_FILE: /run/secrets/db_password',
        '      DB_NAME: ledger',
        '      DATABASE_URL: ${DATABASE_URL}',
        ...(volume ? ['    volumes:', '      - docstore-data:/data/db'] : []),
        '',
      ].join('\n');
    expect(await auditRepo({ 'docker-compose.yaml': service(true), 'docker-compose.test.yaml': service(false) })).toEqual([]);
  });

  it('F1: a compose test stack that names the same database file is still reported', async () => {
    const compose = 'services:\n  api:\n    environment:\n      DATABASE_URL: sqlite:///./data/kanban.db\n';
    expect(await auditRepo({ 'docker-compose.yaml': compose, 'docker-compose.test.yaml': compose })).toEqual(['docker-compose.test.yaml:4 sameAsProduction']);
  });

  it('F2: container credentials and a server database name are not a SQLite file', async () => {
    const store = "const knex = require('knex');\nmodule.exports = (socketPath) => knex({ client: 'mysql2', connection: { socketPath, user: 'ledger', database: 'ledger' } });\n";
    const test = [
      "const { GenericContainer } = require('testcontainers');",
      "it('migrates', async () => {",
      "  await new GenericContainer('mariadb:11').withEnvironment({ MYSQL_DATABASE: 'ledger', MYSQL_USER: 'ledger', MYSQL_PASSWORD: 'ledger' }).start();",
      '});',
      '',
    ].join('\n');
    expect(await auditRepo({ 'src/store.js': store, 'test/upgrade.spec.js': test })).toEqual([]);
  });

  it('F2: a SQLite `database` option shared by the tests is still reported', async () => {
    const source = "import { DataSource } from 'typeorm';\nexport const ds = new DataSource({ type: 'better-sqlite3', database: 'ledger' });\n";
    const test = "import { DataSource } from 'typeorm';\nconst ds = new DataSource({ type: 'better-sqlite3', database: 'ledger' });\n";
    expect(await auditRepo({ 'src/data-source.ts': source, 'test/setup.ts': test })).toEqual(['test/setup.ts:2 sameAsProduction']);
  });

  it('.env files: credentials are skipped, the database path is compared', async () => {
    const env = 'DB_USER=ledger\nDB_PASSWORD=ledger\nDB_HOST=localhost\nDB_PORT=5432\nDB_NAME=ledger\nPOSTGRES_DB=ledger\n';
    expect(await auditRepo({ '.env': env, '.env.test': env })).toEqual([]);
    expect(await auditRepo({ '.env': `${env}DB_PATH=./data/ledger\n`, '.env.test': `${env}DB_PATH=./data/ledger\n` })).toEqual(['.env.test:7 sameAsProduction']);
  });
});
