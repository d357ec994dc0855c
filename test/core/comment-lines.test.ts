import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index.js';
import { canReport } from '../../src/core/can-report.js';
import { blankCommentLines, codeLinesOf } from '../../src/core/comment-lines.js';

/** What is left to read: each blanked run shown as `_`, line breaks kept. */
const kept = (text: string) => blankCommentLines(text).replace(/ {2,}/g, '_');

describe('blankCommentLines', () => {
  it('blanks // lines and starred /* */ blocks that start a line, keeping every offset', () => {
    const text = ['// delete from the cache', 'const a = 1;', '  /**', '   * Rows are inserted here.', '   */', 'run(); /* trailing */ // kept', '/* one line */ after();'].join('\n');
    expect(blankCommentLines(text)).toHaveLength(text.length);
    expect(blankCommentLines(text).split('\n').map((l) => l.trim())).toEqual(['', 'const a = 1;', '', '', '', 'run(); /* trailing */ // kept', 'after();']);
  });

  it('keeps a comment after code, and code after a block closes', () => {
    expect(kept('db.exec(sql); // then truncate\n')).toBe('db.exec(sql); // then truncate\n');
    expect(kept('/**\n * x\n */ db.exec("DELETE FROM t");')).toBe('_\n_\n_db.exec("DELETE FROM t");');
  });

  it('keeps text that only looks like a comment inside a template literal', () => {
    // Globs in a template: the lines after `/*` do not start with `*`, so nothing is blanked.
    const globs = 'const globs = `\n/*.ts\nsrc/a.ts\n`;\nrun(`DROP TABLE t`); /* */';
    expect(blankCommentLines(globs)).toBe(globs);
    // A `/*` that never closes is not a comment either.
    expect(blankCommentLines('x = `\n/* DELETE FROM t`')).toBe('x = `\n/* DELETE FROM t`');
  });

  it('keeps a generator method and a multiplication that start a line with *', () => {
    const text = 'class A {\n  *rows() { yield db.query("DELETE FROM t"); }\n}\nconst n = a\n  * b;';
    expect(blankCommentLines(text)).toBe(text);
  });

  it('returns the text itself when it has no comment', () => {
    const text = 'const a = 1;';
    expect(blankCommentLines(text)).toBe(text);
  });
});

describe('canReport on JS/TS text whose only match is in comments', () => {
  const sql = rules['no-destructive-sql'];
  it('does not ask for a parse, and asks when the same words are code', () => {
    const commented = '// Delete from registry first\nexport function commit(id: string) {\n  registry.delete(id);\n}\n';
    expect(canReport(sql, commented, 'application', 'typescript', [])).toBe(false);
    expect(canReport(sql, `${commented}db.exec('DELETE FROM registry');\n`, 'application', 'typescript', [])).toBe(true);
  });

  it('reads comments in SQL files, where the detector reads the text itself', () => {
    expect(canReport(sql, '-- DROP TABLE users;\n', 'application', 'sql', [])).toBe(true);
  });
});

describe('codeLinesOf', () => {
  it('gives what blankCommentLines gives, for each text asked in turn', () => {
    const a = '// drop table users\nconst a = 1;\n';
    const b = '/**\n * truncate\n */\nconst b = 2;\n';
    for (const text of [a, a, b, a, b, b]) expect(codeLinesOf(text)).toBe(blankCommentLines(text));
  });
});
