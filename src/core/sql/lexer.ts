/**
 * A SQL lexer that is exact about what is *not* code: comments, quoted strings, quoted identifiers
 * and PostgreSQL dollar-quoted bodies. That is all classification needs: keywords and punctuation
 * outside of those, with their offsets, split into statements at top-level semicolons.
 */
export type SqlTokenKind = 'word' | 'string' | 'quotedIdent' | 'number' | 'punct' | 'hole' | 'param';

export interface SqlToken {
  kind: SqlTokenKind;
  /** Upper-cased for words, raw otherwise. */
  value: string;
  start: number;
  end: number;
}

/** A placeholder for a value unknown at analysis time, e.g. a `${table}` substitution. */
export const SQL_HOLE = '\uE000';

/** PostgreSQL dollar-quote tags follow identifier rules (`$$`, `$body$`, `$fn_1$`), but cannot start with a digit (`$1` is a parameter). */
const DOLLAR_TAG = /^\$(?:[A-Za-z_\u0080-\uDFFF][A-Za-z0-9_\u0080-\uDFFF]*)?\$/;

/** PostgreSQL's JSON operators `#>`, `#>>` and `#-`; a MySQL `#--…` comment line stays a comment. */
function isPostgresHashOperator(text: string, i: number): boolean {
  const next = text[i + 1];
  return next === '>' || (next === '-' && text[i + 2] !== '-');
}

const isWordStart = (c: string) => /[A-Za-z_\u0080-\uDFFF]/.test(c);
const isWordPart = (c: string) => /[A-Za-z0-9_$\u0080-\uDFFF]/.test(c);

export function tokenizeSql(text: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      i++;
    } else if ((c === '-' && next === '-') || (c === '#' && !isPostgresHashOperator(text, i))) {
      // `#` starts a comment in MySQL; elsewhere it is rare outside strings and never a keyword.
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      // PostgreSQL nests block comments.
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') (depth++, (i += 2));
        else if (text[i] === '*' && text[i + 1] === '/') (depth--, (i += 2));
        else i++;
      }
    } else if (c === "'" || ((c === 'E' || c === 'e' || c === 'N' || c === 'n') && next === "'")) {
      const start = i;
      i += c === "'" ? 1 : 2;
      while (i < n) {
        if (text[i] === '\\' && c !== "'") i += 2;
        else if (text[i] === "'" && text[i + 1] === "'") i += 2;
        else if (text[i] === "'") break;
        else i++;
      }
      // An unterminated string runs to the end of the text, never past it.
      i = Math.min(i + 1, n);
      tokens.push({ kind: 'string', value: text.slice(start, i), start, end: i });
    } else if (c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      const start = i++;
      while (i < n) {
        if (text[i] === close && text[i + 1] === close && close !== ']') i += 2;
        else if (text[i] === close) break;
        else i++;
      }
      const closed = i < n;
      i = Math.min(i + 1, n);
      tokens.push({ kind: 'quotedIdent', value: text.slice(start + 1, closed ? i - 1 : i), start, end: i });
    } else if (c === '$' && DOLLAR_TAG.test(text.slice(i, i + 64))) {
      const tag = DOLLAR_TAG.exec(text.slice(i, i + 64))![0];
      const start = i;
      const close = text.indexOf(tag, i + tag.length);
      i = close === -1 ? n : close + tag.length;
      tokens.push({ kind: 'string', value: text.slice(start, i), start, end: i });
    } else if (c === '$' && /[0-9]/.test(next ?? '')) {
      const start = i++;
      while (i < n && /[0-9]/.test(text[i]!)) i++;
      tokens.push({ kind: 'param', value: text.slice(start, i), start, end: i });
    } else if (c === '?' || (c === ':' && isWordStart(next ?? '') && text[i - 1] !== ':')) {
      const start = i++;
      while (i < n && isWordPart(text[i]!)) i++;
      tokens.push({ kind: 'param', value: text.slice(start, i), start, end: i });
    } else if (c === SQL_HOLE) {
      tokens.push({ kind: 'hole', value: c, start: i, end: i + 1 });
      i++;
    } else if (isWordStart(c)) {
      const start = i;
      while (i < n && isWordPart(text[i]!)) i++;
      tokens.push({ kind: 'word', value: text.slice(start, i).toUpperCase(), start, end: i });
    } else if (/[0-9]/.test(c)) {
      const start = i;
      while (i < n && /[0-9.eE]/.test(text[i]!)) i++;
      tokens.push({ kind: 'number', value: text.slice(start, i), start, end: i });
    } else {
      tokens.push({ kind: 'punct', value: c, start: i, end: i + 1 });
      i++;
    }
  }
  return tokens;
}

export interface SqlStatement {
  tokens: SqlToken[];
  start: number;
  end: number;
}

export function splitStatements(tokens: readonly SqlToken[]): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let current: SqlToken[] = [];
  let depth = 0;
  // A `CREATE TRIGGER/FUNCTION ... BEGIN ... END;` body holds semicolons that do not end the statement.
  let blockDepth = 0;
  const flush = () => {
    if (current.length > 0) {
      statements.push({ tokens: current, start: current[0]!.start, end: current[current.length - 1]!.end });
    }
    current = [];
  };
  tokens.forEach((token, index) => {
    if (token.kind === 'punct' && token.value === ';' && depth === 0 && blockDepth === 0) {
      flush();
      return;
    }
    if (token.kind === 'punct' && token.value === '(') depth++;
    else if (token.kind === 'punct' && token.value === ')') depth = Math.max(0, depth - 1);
    else if (token.kind === 'word' && (token.value === 'BEGIN' || token.value === 'CASE') && isInsideRoutine(current)) blockDepth++;
    else if (token.kind === 'word' && token.value === 'END' && blockDepth > 0 && !closesUncountedBlock(tokens[index + 1])) blockDepth--;
    current.push(token);
  });
  flush();
  return statements;
}

/** `END IF`, `END LOOP`… close blocks that never opened a `BEGIN`; counting them would end the routine early. */
function closesUncountedBlock(next: SqlToken | undefined): boolean {
  return next !== undefined && next.kind === 'word' && UNCOUNTED_BLOCKS.has(next.value);
}

const UNCOUNTED_BLOCKS = new Set(['IF', 'LOOP', 'WHILE', 'REPEAT', 'FOR']);

function isInsideRoutine(tokens: readonly SqlToken[]): boolean {
  return tokens.some((t) => t.kind === 'word' && (t.value === 'TRIGGER' || t.value === 'PROCEDURE' || t.value === 'FUNCTION'));
}
