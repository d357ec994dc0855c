import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';
import { FORMATTER_CATALOGUE, type FormatterName } from './catalogue.js';
import type { Formatter, FormatterEntry } from './types.js';

export type { Formatter, FormatterContext, FormatterEntry, ToolInfo } from './types.js';
export { escapeData, escapeProperty } from './github.js';

export { DEFAULT_FORMATTER } from './catalogue.js';

const FORMAT: Record<FormatterName, Formatter> = { stylish: formatStylish, json: formatJson, sarif: formatSarif, github: formatGithub, markdown: formatMarkdown };

/** Name → formatter, in the order `--help` lists them (dependency-cruiser's `TYPE2MODULE`). */
export const formatters: ReadonlyMap<string, FormatterEntry> = new Map<string, FormatterEntry>(
  FORMATTER_CATALOGUE.map(({ name, description }) => [name, { format: FORMAT[name], description }]),
);
