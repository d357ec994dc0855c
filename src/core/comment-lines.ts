const isBlank = (code: number) => code === 32 || code === 9 || code === 13;

function skipBlanks(text: string, at: number, end: number): number {
  while (at < end && isBlank(text.charCodeAt(at))) at++;
  return at;
}

/**
 * Whether the lines of `[open, close)` (a `/*` that starts a line and its `*\/`) are a comment as
 * JSDoc and licence headers write one: every line after the first starts with `*` or is blank.
 * A line-start `/*` inside a template literal (`/*.ts` in a list of globs) is rarely followed by
 * such lines, so its text is not taken for a comment.
 */
function isStarredBlock(text: string, open: number, close: number): boolean {
  for (let line = text.indexOf('\n', open); line !== -1 && line < close; line = text.indexOf('\n', line + 1)) {
    const first = skipBlanks(text, line + 1, close);
    const code = text.charCodeAt(first);
    if (first < close && code !== 42 /* * */ && code !== 10) return false;
  }
  return true;
}

/**
 * The text with its whole-line comments blanked to spaces, offsets and line breaks kept: lines that
 * start with `//`, and `/* … *\/` blocks that start a line (see `isStarredBlock`). A comment after
 * code on the same line is kept, and so is everything else: blanking a comment that was really a
 * string would hide code from a prefilter, keeping one only costs a parse.
 */
export function blankCommentLines(text: string): string {
  if (!text.includes('//') && !text.includes('/*')) return text;
  const parts: string[] = [];
  let kept = 0;
  const blank = (from: number, to: number) => {
    parts.push(text.slice(kept, from), ' '.repeat(to - from));
    kept = to;
  };
  for (let lineStart = 0; lineStart < text.length; ) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const first = skipBlanks(text, lineStart, lineEnd);
    let next = lineEnd + 1;
    if (text.startsWith('//', first)) {
      blank(first, lineEnd);
    } else if (text.startsWith('/*', first)) {
      const close = text.indexOf('*/', first + 2);
      if (close !== -1 && (close < lineEnd || isStarredBlock(text, first, close))) {
        // Blanked line breaks and all, so the code after a closing `*/` is read on from there.
        const end = close + 2;
        for (let at = first, nl = text.indexOf('\n', at); ; nl = text.indexOf('\n', at)) {
          if (nl === -1 || nl >= end) {
            blank(at, end);
            break;
          }
          blank(at, nl);
          at = nl + 1;
        }
        next = text.indexOf('\n', end) + 1 || text.length;
      }
    }
    lineStart = next;
  }
  parts.push(text.slice(kept));
  return parts.join('');
}

/** The last text asked about and its code lines (see `codeLinesOf`). */
let lastText: string | undefined;
let lastCode = '';

/**
 * `blankCommentLines(text)`, remembered for the last text: the rules' prefilters (`canReport`, once
 * per rule) and the location gate (`mayHoldTsLocation`) ask it of the same file one after another.
 */
export function codeLinesOf(text: string): string {
  if (text !== lastText) {
    lastCode = blankCommentLines(text);
    lastText = text;
  }
  return lastCode;
}
