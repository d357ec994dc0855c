import { isTestRole } from '../../src/core/file-role.js';
import { createFileSchemaGraph, findSchemaPathThrough, type FunctionSummary, type SchemaGraph, type SchemaPath } from '../../src/core/ts-helpers/schema-creation.js';
import type { ProjectFinding, ProjectInput } from '../../src/core/types.js';
import { STEP } from './no-schema-in-constructor.js';

/**
 * Every summarised function of the repository keyed `file#id`; imported calls resolve to the
 * function the target file exports under that name.
 */
function createProjectSchemaGraph(input: ProjectInput): SchemaGraph {
  const split = (key: string) => {
    const at = key.indexOf('#');
    return [key.slice(0, at), key.slice(at + 1)] as const;
  };
  return {
    get(key) {
      const [file, id] = split(key);
      return input.files.get(file)?.schema?.functions.find((f) => f.id === id);
    },
    resolve(fromKey, edge) {
      if (edge.via !== 'call') return undefined;
      const [file] = split(fromKey);
      if (edge.target.kind === 'local') return `${file}#${edge.target.id}`;
      const target = input.resolveImport(file, edge.target.module);
      const name = edge.target.name;
      const exported = target === undefined ? undefined : input.files.get(target)?.schema?.functions.find((f) => f.kind !== 'constructor' && f.exportedAs.includes(name));
      return exported ? `${target}#${exported.id}` : undefined;
    },
  };
}

/**
 * Constructors that reach schema creation only through another file (`constructor → createTables`,
 * defined in `schema.ts`). Paths that stay within one file are the per-file detector's and are not
 * reported twice.
 */
export function detectProject(input: ProjectInput): ProjectFinding[] {
  const graph = createProjectSchemaGraph(input);
  const memo = new Map<string, SchemaPath | undefined>();
  const findings: ProjectFinding[] = [];
  for (const file of input.files.values()) {
    if (!file.schema || isTestRole(file.role)) continue;
    const local = createFileSchemaGraph(file.schema);
    const localMemo = new Map<string, SchemaPath | undefined>();
    for (const ctor of file.schema.functions.filter((f: FunctionSummary) => f.kind === 'constructor')) {
      for (const edge of ctor.calls) {
        if (findSchemaPathThrough(local, ctor.id, edge, localMemo)) continue;
        const path = findSchemaPathThrough(graph, `${file.path}#${ctor.id}`, edge, memo);
        if (!path) continue;
        findings.push({
          ruleId: 'no-schema-in-constructor',
          messageId: 'schemaInConstructor',
          severity: 'error',
          file: file.path,
          range: [edge.range[0], edge.range[1]],
          data: { className: ctor.className ?? '(anonymous class)', path: [ctor.name, ...path.steps].join(STEP), effect: path.site.effect },
        });
      }
    }
  }
  return findings;
}
