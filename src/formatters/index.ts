import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';
import type { FormatterEntry } from './types.js';

export type { Formatter, FormatterContext, FormatterEntry, ToolInfo } from './types.js';
export { escapeData, escapeProperty } from './github.js';

export const DEFAULT_FORMATTER = 'stylish';

/** Name → formatter, in the order `--help` lists them (dependency-cruiser's `TYPE2MODULE`). */
export const formatters: ReadonlyMap<string, FormatterEntry> = new Map<string, FormatterEntry>([
  ['stylish', { format: formatStylish, description: 'Findings grouped by file, with code frames (default)' }],
  ['json', { format: formatJson, description: 'Machine-readable report, format version 1' }],
  ['sarif', { format: formatSarif, description: 'SARIF 2.1.0 for GitHub code scanning and SARIF viewers' }],
  ['github', { format: formatGithub, description: 'GitHub Actions annotations (workflow commands)' }],
  ['markdown', { format: formatMarkdown, description: 'Summary table for a PR comment or job summary' }],
]);
