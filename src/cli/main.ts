#!/usr/bin/env node
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { getDocsUrl, VERSION } from '../core/package-info.js';
import type { AnyRuleModule } from '../core/types.js';
import { FORMATTER_CATALOGUE } from '../formatters/catalogue.js';
import { applyBaseline, buildBaseline, readBaseline, writeBaseline } from '../scanner/baseline.js';
import { filterToChangedLines, getChangedLines } from '../scanner/changed-lines.js';
import { UsageError } from '../scanner/errors.js';
import type { AuditResult } from '../scanner/result.js';
import { exitCodeFor } from '../scanner/fail-on.js';
import { parseCliArgs, type AuditArgs } from './args.js';
import { auditHelp, formatRulesList, mainHelp, rulesHelp } from './help.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  stderrIsTTY: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** `--quiet` keeps errors only, as ESLint's does. */
function quietResult(result: AuditResult): AuditResult {
  return { ...result, findings: result.findings.filter((f) => f.severity === 'error' || f.suppressed), diagnostics: result.diagnostics.filter((d) => d.severity === 'error') };
}

/** Where the time went, as ESLint's `TIMING=1` shows it for rules: one row per phase. */
export function formatTimings(result: AuditResult): string {
  const timings = result.timings ?? [];
  const total = timings.reduce((sum, t) => sum + t.ms, 0) || 1;
  const width = Math.max(5, ...timings.map((t) => t.phase.length));
  const rows = timings.map((t) => `${t.phase.padEnd(width)} | ${t.ms.toFixed(1).padStart(9)} | ${`${((100 * t.ms) / total).toFixed(1)}%`.padStart(8)}`);
  return [`${'Phase'.padEnd(width)} | Time (ms) | Relative`, `${':'.padEnd(width, '-')}-|----------:|--------:`, ...rows, ''].join('\n');
}

async function runAudit(args: AuditArgs, io: CliIo): Promise<number> {
  // Loaded here, not at the top: `--version`, `--help` and usage errors need none of the engine.
  const [{ audit }, { loadConfig }, { formatters }] = await Promise.all([import('../scanner/audit.js'), import('../scanner/config.js'), import('../formatters/index.js')]);
  const cwd = io.cwd;
  const config = loadConfig(resolve(cwd, args.paths[0] ?? '.'), args.config && resolve(cwd, args.config));
  if (args.maxFileSize !== undefined) config.maxFileSize = args.maxFileSize;
  const showProgress = args.progress ?? (io.stderrIsTTY && !io.env.CI);
  let lastDraw = 0;
  const started = Date.now();
  let result = await audit({
    paths: args.paths,
    cwd,
    config,
    root: args.root,
    extraIgnores: args.ignore,
    verbose: args.verbose,
    cache: args.cache ? { location: resolve(cwd, args.cacheLocation ?? 'node_modules/.cache/dbguard') } : undefined,
    onProgress: showProgress
      ? (done, total) => {
          const now = Date.now();
          // Only long runs get a progress line, redrawn at most ten times a second.
          if (now - started < 1000 || (now - lastDraw < 100 && done !== total)) return;
          lastDraw = now;
          io.stderr(`\r\x1b[2Kdbguard: ${total === undefined ? `${done} files read` : `${done}/${total} files analysed`}${done === total ? '\n' : ''}`);
        }
      : undefined,
  });
  if (showProgress && Date.now() - started >= 1000) io.stderr('\r\x1b[2K');
  if (io.env.TIMING) io.stderr(formatTimings(result));
  if (args.updateBaseline && args.baseline) {
    const file = resolve(cwd, args.baseline);
    writeBaseline(file, buildBaseline(result));
    const count = result.findings.filter((f) => !f.suppressed || f.suppressed.kind === 'baseline').length;
    io.stderr(`dbguard: wrote ${count} finding${count === 1 ? '' : 's'} to ${args.baseline}\n`);
    return 0;
  }
  if (args.baseline) result = applyBaseline(result, readBaseline(resolve(cwd, args.baseline)), args.baseline);
  if (args.changedSince) result = filterToChangedLines(result, getChangedLines(cwd, args.changedSince));
  const exitCode = exitCodeFor(result, args.failOn);
  const shown = args.quiet ? quietResult(result) : result;
  const formatter = formatters.get(args.format)!;
  const output = formatter.format(shown, { color: args.color ?? (io.isTTY && !args.outputFile && !io.env.NO_COLOR), cwd });
  if (args.outputFile) {
    const file = resolve(cwd, args.outputFile);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, output);
  } else {
    io.stdout(output);
  }
  return exitCode;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const args = parseCliArgs(argv, FORMATTER_CATALOGUE.map((f) => f.name));
    switch (args.command) {
      case 'version':
        io.stdout(`${VERSION}\n`);
        return 0;
      case 'help':
        io.stdout(`${args.topic === 'audit' ? auditHelp(FORMATTER_CATALOGUE) : args.topic === 'rules' ? rulesHelp() : mainHelp(VERSION)}\n`);
        return 0;
      case 'rules': {
        const { rules } = await import('../../rules/index.js');
        io.stdout(formatRulesList(Object.values(rules as Record<string, AnyRuleModule>), getDocsUrl, args.format));
        return 0;
      }
      case 'audit':
        return await runAudit(args, io);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`dbguard: ${error.message}\n`);
      return 2;
    }
    io.stderr(`dbguard: internal error, please report it at https://github.com/dbguard/eslint-plugin-dbguard/issues\n${(error as Error).stack ?? String(error)}\n`);
    return 2;
  }
}

// Run only when executed as the bin, not when imported by tests.
const invokedAs = process.argv[1] ? realpathSync(resolve(process.argv[1])) : '';
if (invokedAs === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stdout.isTTY),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}
