export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units, like ESLint's reported columns. */
  column: number;
}

const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/g;

/** ESLint strips a leading BOM before linting; offsets everywhere refer to the stripped text. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Line starts computed once per file, so each lookup is a binary search. */
export function createLocator(text: string): (offset: number) => Position {
  const starts = [0];
  for (const match of text.matchAll(LINE_BREAK)) starts.push(match.index + match[0].length);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1 };
  };
}

export function getLineText(text: string, line: number): string {
  return text.split(LINE_BREAK)[line - 1] ?? '';
}
