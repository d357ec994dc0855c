/**
 * The formatters' names and descriptions, without their code: the CLI validates `--format` and
 * prints `--help` from this list, so neither loads the formatters (which load every rule's meta).
 */
export const FORMATTER_CATALOGUE = [
  { name: 'stylish', description: 'Findings grouped by file, with code frames (default)' },
  { name: 'json', description: 'Machine-readable report, format version 1' },
  { name: 'sarif', description: 'SARIF 2.1.0 for GitHub code scanning and SARIF viewers' },
  { name: 'github', description: 'GitHub Actions annotations (workflow commands)' },
  { name: 'markdown', description: 'Summary table for a PR comment or job summary' },
] as const;

export type FormatterName = (typeof FORMATTER_CATALOGUE)[number]['name'];

export const DEFAULT_FORMATTER: FormatterName = 'stylish';
