import { parseArgs } from 'node:util';
import { UsageError } from '../scanner/errors.js';

import type { FailOn } from '../scanner/fail-on.js';

export type { FailOn };

export interface AuditArgs {
  command: 'audit';
  paths: string[];
  format: string;
  outputFile?: string;
  config?: string;
  root?: string;
  failOn: FailOn;
  ignore: string[];
  maxFileSize?: number;
  cache: boolean;
  cacheLocation?: string;
  baseline?: string;
  updateBaseline: boolean;
  changedSince?: string;
  quiet: boolean;
  verbose: boolean;
  color?: boolean;
  progress?: boolean;
}

export type Args = AuditArgs | { command: 'rules'; format: 'text' | 'json' } | { command: 'help'; topic?: string } | { command: 'version' };

const AUDIT_OPTIONS = {
  format: { type: 'string', short: 'f' },
  'output-file': { type: 'string', short: 'o' },
  config: { type: 'string', short: 'c' },
  root: { type: 'string' },
  'fail-on': { type: 'string' },
  ignore: { type: 'string', multiple: true },
  'max-file-size': { type: 'string' },
  cache: { type: 'boolean' },
  'cache-location': { type: 'string' },
  baseline: { type: 'string' },
  'update-baseline': { type: 'boolean' },
  'changed-since': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  progress: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `512kb`, `2mb`, `600000` → bytes. */
function parseSize(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m)?$/i.exec(value.trim());
  if (!m) throw new UsageError(`--max-file-size: expected a size like 512kb, 2mb or 600000, got "${value}"`);
  const unit = (m[2] ?? 'b').toLowerCase();
  return Math.round(Number(m[1]) * (unit.startsWith('m') ? 1024 * 1024 : unit.startsWith('k') ? 1024 : 1));
}

export function parseCliArgs(argv: readonly string[], formats: readonly string[]): Args {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') return { command: 'help', topic: first === 'help' ? rest[0] : undefined };
  if (first === '--version' || first === '-v') return { command: 'version' };
  if (first === 'rules') {
    const { values } = parseArgs({ args: rest, options: { format: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
    if (values.help) return { command: 'help', topic: 'rules' };
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format: "dbguard rules" prints text or json, got "${format}"`);
    return { command: 'rules', format };
  }
  if (first !== 'audit') {
    throw new UsageError(`unknown command "${first}". Commands: audit, rules, help. Did you mean "dbguard audit ${first}"?`);
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: AUDIT_OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\. To specify a positional argument.*$/s, '')}. See "dbguard audit --help".`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help', topic: 'audit' };
  const format = values.format ?? 'stylish';
  if (!formats.includes(format)) throw new UsageError(`--format: unknown format "${format}" (available: ${formats.join(', ')})`);
  const failOn = values['fail-on'] ?? 'error';
  if (failOn !== 'error' && failOn !== 'warning' && failOn !== 'never') throw new UsageError(`--fail-on: expected error, warning or never, got "${failOn}"`);
  if (values['update-baseline'] && !values.baseline) throw new UsageError('--update-baseline needs --baseline <file> to know where to write');
  if (values.quiet && values.verbose) throw new UsageError('--quiet and --verbose contradict each other; pick one');
  return {
    command: 'audit',
    paths: positionals.length > 0 ? positionals : ['.'],
    format,
    outputFile: values['output-file'],
    config: values.config,
    root: values.root,
    failOn,
    ignore: values.ignore ?? [],
    maxFileSize: values['max-file-size'] === undefined ? undefined : parseSize(values['max-file-size']),
    cache: values.cache ?? false,
    cacheLocation: values['cache-location'],
    baseline: values.baseline,
    updateBaseline: values['update-baseline'] ?? false,
    changedSince: values['changed-since'],
    quiet: values.quiet ?? false,
    verbose: values.verbose ?? false,
    color: values['no-color'] ? false : values.color,
    progress: values['no-progress'] ? false : values.progress,
  };
}
