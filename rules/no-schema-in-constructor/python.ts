import type { Finding, PythonInput, Range } from '../../src/core/types.js';
import { isTestRole } from '../../src/core/file-role.js';
import { summarizePythonSchemaCreation } from '../../src/core/python/schema-creation.js';
import { createFileSchemaGraph, findSchemaPathThrough, type FunctionSummary, type SchemaGraph, type SchemaPath } from '../../src/core/ts-helpers/schema-creation.js';
import { STEP } from './no-schema-in-constructor.js';

function findingFor(ctor: FunctionSummary, range: Range, path: SchemaPath): Finding {
  return {
    ruleId: 'no-schema-in-constructor',
    messageId: 'schemaInConstructor',
    severity: 'error',
    range: [range[0], range[1]],
    data: {
      className: ctor.className ?? '(anonymous class)',
      // `__init__ → _initialize_schema → conn.executescript`: Python names its constructor.
      path: [ctor.name, ...path.steps].join(STEP),
      effect: path.site.effect,
    },
  };
}

function detectConstructor(graph: SchemaGraph, ctor: FunctionSummary, memo: Map<string, SchemaPath | undefined>): Finding[] {
  const findings = ctor.sites.map((site) => ({ start: site.range[0], finding: findingFor(ctor, site.range, { steps: [site.api], site }) }));
  for (const edge of ctor.calls) {
    const path = findSchemaPathThrough(graph, ctor.id, edge, memo);
    if (path) findings.push({ start: edge.range[0], finding: findingFor(ctor, edge.range, path) });
  }
  return findings.sort((a, b) => a.start - b.start).map((f) => f.finding);
}

/**
 * `__init__` that creates schema (`create_all`, `executescript(SCHEMA)`, executed CREATE TABLE, an
 * executed `.sql` file, a migration runner), directly or through the methods and functions of the
 * same file it calls: one finding per call in the constructor that starts such a path (incident 3).
 */
export function detectPython(input: PythonInput): Finding[] {
  if (isTestRole(input.role)) return [];
  const summary = summarizePythonSchemaCreation(input);
  const graph = createFileSchemaGraph(summary);
  const memo = new Map<string, SchemaPath | undefined>();
  return summary.functions.filter((f) => f.kind === 'constructor').flatMap((ctor) => detectConstructor(graph, ctor, memo));
}
