import type { JSONSchema4 } from '@typescript-eslint/utils/json-schema';
import type { ts } from './ts.js';
import type { PythonTree } from './python/parser.js';
import type { ScriptCommand } from './scripts/commands.js';
import type { DatabaseLocation } from './db-location.js';
import type { FileSchemaSummary } from './ts-helpers/schema-creation.js';

export const RULE_IDS = [
  'idempotent-migration-insert',
  'no-auto-schema-sync',
  'no-destructive-schema-call',
  'no-destructive-script',
  'no-destructive-sql',
  'no-in-memory-database',
  'no-schema-in-constructor',
  'no-test-prod-database',
] as const;

export type RuleId = (typeof RULE_IDS)[number];
export type Severity = 'error' | 'warning';

/** What a file is for, from its path. Decides whether a dangerous call is a bug or intended. */
export type FileRole = 'test' | 'testConfig' | 'migration' | 'seed' | 'application';

/**
 * Where a piece of code runs, from its file role and the code around it
 * (a migration's `down`, a `describe` callback, an `if (NODE_ENV === 'test')` branch).
 */
export type ExecutionContext =
  | 'test'
  | 'development'
  /** Code an operator runs by name, never on its own: a CLI command, a Django management command. */
  | 'operator'
  | 'migrationUp'
  | 'migrationDown'
  | 'seed'
  | 'application';

export type Range = readonly [start: number, end: number];

export interface Suggestion {
  messageId: string;
  data?: Record<string, string>;
  fix: { range: Range; text: string };
}

/** A finding is data; wording comes from the rule's `meta.messages`. */
export interface Finding {
  ruleId: RuleId;
  messageId: string;
  data?: Record<string, string>;
  /** UTF-16 offsets into the BOM-stripped text of the input. */
  range: Range;
  severity: Severity;
  suggestions?: readonly Suggestion[];
  /** The start path that reaches the finding's file, when the whole-repo view knows it (scanner only). */
  runsFrom?: string;
}

/** A finding produced by a whole-repo analysis, which may land in any file. */
export interface ProjectFinding extends Finding {
  file: string;
}

export interface RoleGlobs {
  testFiles: readonly string[];
  testConfigFiles: readonly string[];
  migrationFiles: readonly string[];
  seedFiles: readonly string[];
}

export interface SourceInput {
  /** POSIX path relative to the project root (the ESLint cwd or the audit root). */
  path: string;
  text: string;
  role: FileRole;
}

export interface TsInput extends SourceInput {
  sourceFile: ts.SourceFile;
}

export interface SqlInput extends SourceInput {
  /** From the file name (`*.down.sql`) or a `-- migrate:down` section marker. */
  migrationPhase?: 'up' | 'down';
  /** Set by the scanner when application code reads and executes this file at startup. */
  executedBy?: string;
}

export interface PythonInput extends SourceInput {
  tree: PythonTree;
}

export interface ScriptInput extends SourceInput {
  kind: 'package-json' | 'dockerfile' | 'compose' | 'shell' | 'procfile' | 'workflow';
  commands: readonly ScriptCommand[];
}

export interface RuleDocs {
  description: string;
  recommended: boolean;
}

export interface RuleMeta<Options extends readonly unknown[]> {
  id: RuleId;
  docs: RuleDocs;
  messages: Record<string, string>;
  schema: JSONSchema4[];
  defaultOptions: Options;
  hasSuggestions?: boolean;
  /** Inputs this rule reads. A rule without `typescript` does nothing inside ESLint. */
  languages: readonly ('typescript' | 'python' | 'sql' | 'script' | 'project')[];
}

/** A database location written in a file: a literal path or URL, an env entry, a compose variable. */
export interface LocationFact {
  range: Range;
  /** 1-based line of `range[0]`, for messages that point from one file to another. */
  line: number;
  location: DatabaseLocation;
  /** As written (credentials removed), for messages. */
  shown: string;
  /** Used by test code (a test file, test config, `.env.test`, a test-only branch). */
  inTest: boolean;
  /** `process.env.DB_PATH ?? './app.db'`: the literal is only a fallback for this variable. */
  envFallback?: string;
  /**
   * The file opens this location or hands it on as its database location: a driver or ORM
   * argument, an ORM option, an environment variable, a constant named like a database path.
   * Unset for a path the file only reads or copies (a template `.db` file).
   */
  opens?: true;
}

export interface ImportFact {
  /** As written: `../src/db.js`, `app.database`. */
  specifier: string;
  range: Range;
}

/**
 * What one file contributes to whole-repo analyses. Plain data, extracted during the file's only
 * parse and cached with its findings.
 */
export interface ProjectFileFacts {
  /** Relative to the project root, POSIX. */
  path: string;
  role: FileRole;
  kind: string;
  locations?: LocationFact[];
  imports?: ImportFact[];
  /** Specifiers mocked with `jest.mock`/`vi.mock`: the real module never loads. */
  mocks?: string[];
  /** Environment variable names this file sets (test setup, `.env.test`, a vitest `env:` block). */
  setsEnv?: string[];
  /** Opens an in-memory database somewhere (`new Store(':memory:')`): it has chosen its own database. */
  usesInMemoryDatabase?: boolean;
  /**
   * A configuration class for the tests that sets the database (Flask's `TestingConfig`): tests that
   * import this module take their database from it.
   */
  testConfigurationClass?: string;
  schema?: FileSchemaSummary;
  /**
   * The text could create schema (see `SCHEMA_CREATION_TEXT`): only files that are, or import one
   * that is, can end a constructor's path to schema creation.
   */
  mentionsSchemaCreation?: true;
}

export interface ProjectInput {
  files: ReadonlyMap<string, ProjectFileFacts>;
  /** The project file an import refers to, or `undefined` for packages and unresolvable paths. */
  resolveImport(fromPath: string, specifier: string): string | undefined;
}

/** The per-file detector kinds, which `mayReportIn` may tell apart. */
export type InputLanguage = 'typescript' | 'sql' | 'python' | 'script';

export interface Detectors<Options extends readonly unknown[]> {
  /** Whole-repo analysis over every file's facts: the scanner only. */
  project?(input: ProjectInput, options: Options): ProjectFinding[];
  typescript?(input: TsInput, options: Options): Finding[];
  sql?(input: SqlInput, options: Options): Finding[];
  python?(input: PythonInput, options: Options): Finding[];
  script?(input: ScriptInput, options: Options): Finding[];
}

export interface RuleModule<Options extends readonly unknown[] = readonly unknown[]> {
  meta: RuleMeta<Options>;
  /**
   * A necessary condition on a file's text: a file it does not match can produce no finding of this
   * rule, so neither face parses it for this rule. `test/prefilter.test.ts` checks it is never wrong
   * on the fixtures.
   */
  prefilter: RegExp;
  /**
   * Where the rule can report at all: false for a role and input kind where it never does (most
   * rules protect data that test files do not hold). Absent means everywhere.
   */
  mayReportIn?(role: FileRole, language: InputLanguage): boolean;
  /**
   * A sharper necessary condition for one role and input kind, which then replaces `prefilter`
   * (that one must hold for every language the rule reads, so it is loose for each). Checked like
   * `prefilter` by `test/prefilter.test.ts`.
   */
  prefilterIn?(role: FileRole, language: InputLanguage): ((text: string) => boolean) | undefined;
  /**
   * Whether the per-file detectors can report anything with these options (a rule that compares
   * against configured values has nothing to compare without them); when false, neither face parses
   * a file for this rule. Whole-repo detectors run regardless.
   */
  appliesWith?(options: Options): boolean;
  detect: Detectors<Options>;
}

/** Identity function that keeps `Options` inferred, like typescript-eslint's `RuleCreator`. */
export function defineRule<Options extends readonly unknown[]>(rule: RuleModule<Options>): RuleModule<Options> {
  return rule;
}

/**
 * A rule of any options type, for registries and adapters that pass options through untouched
 * (options are validated against each rule's schema before they reach a detector).
 */
export type AnyRuleModule = RuleModule<any>;
