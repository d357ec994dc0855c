/** Files above this size are skipped by both faces unless configured otherwise (`maxFileSize`). */
export const DEFAULT_MAX_FILE_SIZE = 512 * 1024;

/**
 * Minified or bundled JavaScript: long lines throughout, or one line holding most of the file. A
 * hand-written file with one long embedded string (an SVG, a data URL) is still read. Both faces
 * skip such files, so they agree, and neither pays to parse a vendored bundle.
 */
export function looksGenerated(text: string): boolean {
  if (text.length <= 2000) return false;
  const sample = text.length > 200_000 ? text.slice(0, 200_000) : text;
  const lines = sample.split('\n');
  let longest = 0;
  for (const line of lines) if (line.length > longest) longest = line.length;
  return sample.length / lines.length > 300 || longest > sample.length / 2;
}
