import { getCodeSql } from '../core/ts-helpers/executed-sql.js';
import type { TsInput } from '../core/types.js';

/**
 * What one file tells the whole-repo analyses, extracted during the file's only parse and cached
 * with its findings, so no AST outlives its file.
 */
export interface FileFacts {
  /** `.sql` files this file reads and executes (`db.exec(readFileSync('schema.sql'))`). */
  executedSqlFiles?: { name: string; api: string }[];
}

export function needsTypescriptFacts(text: string): boolean {
  return text.includes('.sql') && text.includes('readFile');
}

export function extractTypescriptFacts(input: TsInput): FileFacts {
  if (input.role === 'test' || input.role === 'testConfig') return {};
  const executed = getCodeSql(input.sourceFile).schemaFiles.map((s) => ({ name: s.path.split('/').pop()!, api: s.api }));
  return executed.length > 0 ? { executedSqlFiles: executed } : {};
}
