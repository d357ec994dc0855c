import type { Suggestion } from '../../src/core/types.js';
import type { ClassifiedStatement } from '../../src/core/sql/classify.js';
import { tokenizeSql, type SqlToken } from '../../src/core/sql/lexer.js';

export type SqlDialect = 'sqlite' | 'mysql' | 'postgres';

/** A best guess from a `.sql` file's own text; `undefined` when nothing gives it away. */
export function getSqlDialect(text: string, statements: readonly ClassifiedStatement[]): SqlDialect | undefined {
  if (statements.some((s) => s.dialectHint === 'sqlite') || /\bAUTOINCREMENT\b|\bPRAGMA\b|\bINSERT\s+OR\b/i.test(text)) return 'sqlite';
  if (statements.some((s) => s.dialectHint === 'mysql') || /`|\bENGINE\s*=|\bAUTO_INCREMENT\b/i.test(text)) return 'mysql';
  if (/\bSERIAL\b|\bJSONB\b|\bTIMESTAMPTZ\b|\$\$/i.test(text)) return 'postgres';
  return undefined;
}

interface Edit {
  at: number;
  end: number;
  text: string;
}

const sameCase = (model: string, text: string) => (model === model.toLowerCase() ? text.toLowerCase() : text);

function topLevel(tokens: readonly SqlToken[]): SqlToken[] {
  let depth = 0;
  return tokens.filter((t) => {
    if (t.kind === 'punct' && t.value === '(') depth++;
    else if (t.kind === 'punct' && t.value === ')') depth--;
    return depth === 0;
  });
}

/** `INSERT INTO` → `INSERT OR IGNORE INTO`; not after a CTE or an `INSERT OR ABORT`. */
function insertOrIgnoreEdit(text: string, tokens: readonly SqlToken[]): Edit | undefined {
  const [insert, next] = tokens;
  if (insert?.value !== 'INSERT' || (next?.kind === 'word' && next.value === 'OR')) return undefined;
  return { at: insert.end, end: insert.end, text: sameCase(text.slice(insert.start, insert.end), ' OR IGNORE') };
}

/**
 * ` ON CONFLICT DO NOTHING` after the VALUES list, or before a top-level RETURNING. Only for
 * `INSERT … VALUES`: after `INSERT … SELECT` SQLite would read `ON` as a join constraint.
 */
function onConflictEdit(text: string, tokens: readonly SqlToken[], end: number): Edit | undefined {
  const [insert] = tokens;
  const outer = topLevel(tokens);
  if (insert?.value !== 'INSERT' || tokens.some((t) => t.kind === 'hole' || (t.kind === 'quotedIdent' && text[t.start] === '`'))) return undefined;
  if (!outer.some((t) => t.kind === 'word' && t.value === 'VALUES') || outer.some((t) => t.kind === 'word' && t.value === 'SELECT')) return undefined;
  const clause = sameCase(text.slice(insert.start, insert.end), 'ON CONFLICT DO NOTHING');
  const returning = outer.find((t) => t.kind === 'word' && t.value === 'RETURNING');
  return returning ? { at: returning.start, end: returning.start, text: `${clause} ` } : { at: end, end, text: ` ${clause}` };
}

/**
 * One suggestion that guards every listed INSERT of `text`, or none when any of them cannot be
 * edited safely. `offset` maps SQL offsets to the source (the literal's first character).
 */
export function getSqlSuggestions(text: string, statements: readonly ClassifiedStatement[], dialect: SqlDialect | undefined, offset: number): Suggestion[] {
  if (dialect === 'mysql' || statements.length === 0) return [];
  const messageId = dialect === 'sqlite' ? 'useInsertOrIgnore' : 'addOnConflictDoNothing';
  const edits: Edit[] = [];
  for (const statement of statements) {
    const tokens = tokenizeSql(text.slice(statement.start, statement.end)).map((t) => ({ ...t, start: t.start + statement.start, end: t.end + statement.start }));
    const edit = dialect === 'sqlite' ? insertOrIgnoreEdit(text, tokens) : onConflictEdit(text, tokens, statement.end);
    if (!edit) return [];
    edits.push(edit);
  }
  const from = edits[0]!.at;
  const to = edits[edits.length - 1]!.end;
  let replaced = '';
  let cursor = from;
  for (const edit of edits) {
    replaced += text.slice(cursor, edit.at) + edit.text;
    cursor = edit.end;
  }
  replaced += text.slice(cursor, to);
  return [{ messageId, fix: { range: [offset + from, offset + to], text: replaced } }];
}
