/** Files above this size are skipped by both faces unless configured otherwise (`maxFileSize`). */
export const DEFAULT_MAX_FILE_SIZE = 512 * 1024;

/**
 * Minified or bundled JavaScript: long lines throughout, or one line holding most of the file. A
 * hand-written file with one long embedded string (an SVG, a data URL) is still read. Both faces
 * skip such files, so they agree, and neither pays to parse a vendored bundle.
 */
export function looksGenerated(text: string): boolean {
  if (text.length <= 2000) return false;
  const end = Math.min(text.length, 200_000);
  // Counted in place: splitting every file into lines only to measure them kept the GC busy.
  let lines = 1;
  let longest = 0;
  let start = 0;
  for (let newline = text.indexOf('\n'); newline !== -1 && newline < end; newline = text.indexOf('\n', newline + 1)) {
    longest = Math.max(longest, newline - start);
    start = newline + 1;
    lines++;
  }
  longest = Math.max(longest, end - start);
  return end / lines > 300 || longest > end / 2;
}
