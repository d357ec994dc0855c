import { collectLocationFacts } from '../../rules/no-test-prod-database/no-test-prod-database.js';
import { formatDatabaseLocation } from '../core/db-location.js';
import { parseEnvAssignment } from '../../rules/no-test-prod-database/env-name.js';
import { isTestRole } from '../core/file-role.js';
import { createLocator } from '../core/location.js';
import { getCodeSql } from '../core/ts-helpers/executed-sql.js';
import { summarizeSchemaCreation } from '../core/ts-helpers/schema-creation.js';
import { IN_MEMORY_TEXT, LOCATION_TEXT, mayConstructThroughImport, mayHoldTsLocation } from './text-facts.js';
import type { FileRole, ImportFact, LocationFact, ProjectFileFacts, PythonInput, TsInput } from '../core/types.js';
import { collectPythonLocationFacts, findTestConfigurationClass } from '../../rules/no-test-prod-database/python.js';
import { SCHEMA_CREATION_TEXT } from '../../rules/no-schema-in-constructor/no-schema-in-constructor.js';
import { STARTUP_FUNCTION_NAME } from '../../rules/idempotent-migration-insert/idempotent-migration-insert.js';
import { extractPythonExecutedSqlFiles, extractPythonImports, extractPythonMocks, extractPythonSetsEnv } from '../core/python/facts.js';
import { summarizePythonSchemaCreation } from '../core/python/schema-creation.js';
import type { EnvEntry } from './inputs/yaml-commands.js';

/**
 * What one file tells the whole-repo analyses, extracted during the file's only parse and cached
 * with its findings, so no AST outlives its file.
 */
export interface FileFacts extends Omit<ProjectFileFacts, 'path' | 'role' | 'kind'> {
  /** `.sql` files this file reads and executes (`db.exec(readFileSync('schema.sql'))`). */
  executedSqlFiles?: { path: string; api: string }[];
}

/**
 * Facts that need the file's AST. `reachesSchema`: whether any file that creates schema is reachable
 * through this file's imports; when none is, its constructors cannot reach one in another file.
 */
export function extractTypescriptFacts(input: TsInput, text: string, { reachesSchema = true } = {}): FileFacts {
  const facts: FileFacts = {};
  const test = isTestRole(input.role);
  // `readFileSync('schema.sql')` and its kin name the file, so only such text is searched for them.
  if (!test && text.includes('.sql')) {
    const executed = getCodeSql(input.sourceFile).schemaFiles.map((s) => ({ path: s.path, api: s.api }));
    if (executed.length > 0) facts.executedSqlFiles = executed;
  }
  if (mayHoldTsLocation(text)) {
    const locations = collectLocationFacts(input);
    if (locations.length > 0) facts.locations = locations;
  }
  if (!test && reachesSchema && mayConstructThroughImport(text)) {
    // A class's construction is what this file starts; what others reach in it is loaded when needed.
    const schema = summarizeSchemaCreation(input.sourceFile, input.role, 'construction');
    if (schema.functions.some((f) => f.sites.length > 0 || f.importedCalls.length > 0)) facts.schema = schema;
  }
  return facts;
}

function withPythonSchemaMention(facts: FileFacts, text: string): FileFacts {
  if (SCHEMA_CREATION_TEXT.test(text)) facts.mentionsSchemaCreation = true;
  return facts;
}


/**
 * Database locations in `.env*` files, pytest `env =` and compose `environment:` entries. Only names
 * that name a file or URL make a bare value a path (`DB_PATH=./data/app`); credentials, host/port/name
 * settings and values with an unresolved `${VAR}` are never locations (see `parseEnvAssignment`).
 */
export function envLocationFacts(entries: readonly EnvEntry[], text: string, inTest: boolean): FileFacts {
  const locate = createLocator(text);
  const locations: LocationFact[] = [];
  for (const entry of entries) {
    const location = parseEnvAssignment(entry.name, entry.value);
    if (!location) continue;
    const shown = location.kind === 'server' ? formatDatabaseLocation(location) : entry.value;
    // The environment is what the process it configures opens.
    locations.push({ range: entry.range, line: locate(entry.range[0]).line, location, shown, inTest, opens: true });
  }
  const facts: FileFacts = {};
  if (locations.length > 0) facts.locations = locations;
  if (inTest) facts.setsEnv = entries.map((e) => e.name);
  return facts;
}

/** `.env`, `.env.production`, `.env.prod` describe the running application; `.env.test*` the tests. */
export function envFileSide(path: string): 'production' | 'test' | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (/^\.env(?:\.(?:production|prod|live))?(?:\.local)?$/.test(name)) return 'production';
  if (/^\.env\.(?:test|testing|ci)(?:\.local)?$/.test(name)) return 'test';
  return undefined;
}

const PYTHON_SCHEMA_TEXT = /\bclass\b[\s\S]*__init__|CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)|\.sql\b|create_all|executescript|generate_schemas|upgrade|migrate/i;

/** Whether a Python file must be parsed for facts even when no rule's prefilter matched. */
export function needsPythonFacts(text: string): boolean {
  return LOCATION_TEXT.test(text) || PYTHON_SCHEMA_TEXT.test(text);
}

/** Python facts without a parse: imports everywhere; mocks and environment set by tests. */
export function extractPythonTextFacts(text: string, role: FileRole): FileFacts {
  const facts: FileFacts = {};
  const imports = extractPythonImports(text);
  if (imports.length > 0) facts.imports = imports;
  if (!isTestRole(role)) return withPythonSchemaMention(facts, text);
  const mocks = extractPythonMocks(text);
  if (mocks.length > 0) facts.mocks = mocks;
  const setsEnv = extractPythonSetsEnv(text, role);
  if (setsEnv.length > 0) facts.setsEnv = setsEnv;
  if (IN_MEMORY_TEXT.test(text)) facts.usesInMemoryDatabase = true;
  return facts;
}

/**
 * The Python counterpart of `extractTypescriptFacts`, from the same parse the detectors used. A `.sql`
 * file run by a CLI command an operator types (`flask init-db`) is not startup code.
 */
export function extractPythonFacts(input: PythonInput): FileFacts {
  const facts: FileFacts = {};
  const imports = extractPythonImports(input);
  if (imports.length > 0) facts.imports = imports;
  const locations = collectPythonLocationFacts(input);
  if (locations.length > 0) facts.locations = locations;
  if (isTestRole(input.role)) {
    const mocks = extractPythonMocks(input);
    if (mocks.length > 0) facts.mocks = mocks;
    const setsEnv = extractPythonSetsEnv(input, input.role);
    if (setsEnv.length > 0) facts.setsEnv = setsEnv;
    if (IN_MEMORY_TEXT.test(input.text)) facts.usesInMemoryDatabase = true;
    return facts;
  }
  withPythonSchemaMention(facts, input.text);
  const testConfiguration = findTestConfigurationClass(input);
  if (testConfiguration) facts.testConfigurationClass = testConfiguration;
  const schema = summarizePythonSchemaCreation(input);
  if (schema.functions.some((f) => f.sites.length > 0 || f.importedCalls.length > 0)) facts.schema = schema;
  const executed = extractPythonExecutedSqlFiles(input, STARTUP_FUNCTION_NAME).filter((f) => f.trigger !== 'cli');
  if (executed.length > 0) facts.executedSqlFiles = executed.map((f) => ({ path: f.path, api: f.api }));
  return facts;
}
