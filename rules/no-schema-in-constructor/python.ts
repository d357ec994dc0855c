import type { Finding, PythonInput } from '../../src/core/types.js';
import { isTestRole } from '../../src/core/file-role.js';
import { summarizePythonSchemaCreation } from '../../src/core/python/schema-creation.js';
import { detectConstructors } from './no-schema-in-constructor.js';

/**
 * `__init__` that creates schema (`create_all`, `executescript(SCHEMA)`, executed CREATE TABLE, an
 * executed `.sql` file, a migration runner), directly or through the methods and functions of the
 * same file it calls: one finding per call in the constructor that starts such a path (incident 3).
 */
export function detectPython(input: PythonInput): Finding[] {
  if (isTestRole(input.role)) return [];
  return detectConstructors(summarizePythonSchemaCreation(input));
}
