import { isMap, isScalar, isSeq, parseDocument, type YAMLMap } from 'yaml';
import type { Finding } from '../../src/core/types.js';

const FLAGS: Record<string, 'autoSynchronize' | 'dropSchemaOnStart'> = { synchronize: 'autoSynchronize', dropSchema: 'dropSchemaOnStart' };

/**
 * `"synchronize": true` / `dropSchema: true` in TypeORM's configuration file, `ormconfig.json` or `.yml` (one connection, or a
 * list of them): what `synchronize: true` in code does. A connection named for the tests
 * (`"name": "test"`) is theirs. JSON is YAML, so one parser gives both their positions. A file that
 * does not parse yields nothing here; the audit reports no parse error for it.
 */
export function detectOrmconfig(text: string): Finding[] {
  const document = parseDocument(text, { uniqueKeys: false });
  if (document.errors.length > 0) return [];
  const root: unknown = document.contents;
  // One connection, a list of them, or (TypeORM 0.2's YAML) a map of connections by name.
  const connections: [string | undefined, YAMLMap][] = [];
  if (isSeq(root)) for (const item of root.items as unknown[]) if (isMap(item)) connections.push([undefined, item]);
  if (isMap(root) && root.has('type')) connections.push([undefined, root]);
  else if (isMap(root)) for (const pair of root.items) if (isMap(pair.value) && isScalar(pair.key)) connections.push([String(pair.key.value), pair.value]);
  const findings: Finding[] = [];
  for (const [key, connection] of connections) {
    const name = connection.get('name') ?? key;
    if (typeof name === 'string' && /test/i.test(name)) continue;
    for (const pair of connection.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const messageId = key === undefined ? undefined : FLAGS[key];
      if (!messageId || !isScalar(pair.value) || pair.value.value !== true || !pair.value.range) continue;
      findings.push({ ruleId: 'no-auto-schema-sync', messageId, severity: 'error', range: [pair.value.range[0], pair.value.range[1]] });
    }
  }
  return findings;
}
