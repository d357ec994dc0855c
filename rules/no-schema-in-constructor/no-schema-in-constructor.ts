import { outsideTestFiles } from '../../src/core/file-role.js';
import { defineRule, type Finding, type TsInput } from '../../src/core/types.js';
import {
  createFileSchemaGraph,
  findSchemaPathThrough,
  summarizeSchemaCreation,
  type FileSchemaSummary,
  type FunctionSummary,
  type SchemaGraph,
  type SchemaPath,
} from '../../src/core/ts-helpers/schema-creation.js';
import { mayHoldConstruction, TS_SCHEMA_SITE_TEXT } from '../../src/core/ts-helpers/schema-creation-text.js';
import { detectPython } from './python.js';
import { detectProject } from './project.js';

export type Options = [];
export type MessageIds = 'schemaInConstructor';

/** The arrow of every reported path; the docs and tests spell it the same way. */
export const STEP = ' → ';

function findingFor(ctor: FunctionSummary, range: readonly [number, number], path: SchemaPath): Finding {
  return {
    ruleId: 'no-schema-in-constructor',
    messageId: 'schemaInConstructor',
    severity: 'error',
    range: [range[0], range[1]],
    data: {
      className: ctor.className ?? '(anonymous class)',
      // `constructor → initializeSchema → db.exec`; Python names its constructor `__init__`.
      path: [ctor.name, ...path.steps].join(STEP),
      effect: path.site.effect,
    },
  };
}

/**
 * One finding per call in a constructor (or field initializer) that starts a path to schema
 * creation, however many statements the path reaches: the fix is at that call, and so is the
 * suppression comment.
 */
function detectConstructor(graph: SchemaGraph, ctor: FunctionSummary, memo: Map<string, SchemaPath | undefined>): Finding[] {
  const findings = ctor.sites.map((site) => ({ start: site.range[0], finding: findingFor(ctor, site.range, { steps: [site.api], site }) }));
  for (const edge of ctor.calls) {
    const path = findSchemaPathThrough(graph, ctor.id, edge, memo);
    if (path) findings.push({ start: edge.range[0], finding: findingFor(ctor, edge.range, path) });
  }
  return findings.sort((a, b) => a.start - b.start).map((f) => f.finding);
}

/** Every constructor of one file's summary, following same-file calls: shared by the TS and Python detectors. */
export function detectConstructors(summary: FileSchemaSummary): Finding[] {
  const graph = createFileSchemaGraph(summary);
  const memo = new Map<string, SchemaPath | undefined>();
  return summary.functions.filter((f) => f.kind === 'constructor').flatMap((ctor) => detectConstructor(graph, ctor, memo));
}

function detectTypescript(input: TsInput): Finding[] {
  if (input.role === 'test' || input.role === 'testConfig') return [];
  return detectConstructors(summarizeSchemaCreation(input.sourceFile, input.role, 'construction'));
}

/**
 * What any code that creates schema says: DDL text, a `.sql` path, an ORM sync or a migration
 * runner. `create` alone would let through every factory method; only table/index creation counts.
 * The whole-repo analysis follows constructors only towards files that say it.
 */
export const SCHEMA_CREATION_TEXT =
  /create\s*(?:(?:or\s+replace|temp|temporary|unlogged|virtual|unique)\s+)*(?:table|index)|createTable|create_all|create_tables?|\.sql|sync|runMigrations|latest|\bup\b|executescript|upgrade|migrate|generate_schemas/i;

export const noSchemaInConstructor = defineRule<Options>({
  meta: {
    id: 'no-schema-in-constructor',
    docs: {
      description: 'Disallow creating the database schema from a class constructor',
      recommended: true,
    },
    messages: {
      schemaInConstructor:
        'Constructing `{{className}}` {{effect}} (`{{path}}`): merely creating an instance changes the database, before any explicit initialisation and again for every instance. Move schema creation to an explicit, awaited init step or a migration that runs once at startup.',
    } satisfies Record<MessageIds, string>,
    schema: [],
    defaultOptions: [],
    languages: ['typescript', 'python', 'project'],
  },
  // A class, and something that creates schema.
  prefilter: new RegExp(String.raw`^(?=[\s\S]*\bclass\b)(?=[\s\S]*(?:${SCHEMA_CREATION_TEXT.source}))`, 'i'),
  mayReportIn: outsideTestFiles,
  // In JS/TS the class must construct something and the file must hold a creation site itself.
  prefilterIn: (_role, language) => (language === 'typescript' ? (text) => mayHoldConstruction(text) && TS_SCHEMA_SITE_TEXT.test(text) : undefined),
  detect: {
    typescript: (input) => detectTypescript(input),
    python: (input) => detectPython(input),
    project: (input) => detectProject(input),
  },
});
