import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { rules } from '../../rules/index.js';
import { createRoleMatcher } from '../core/file-role.js';
import { fingerprintFileFindings } from '../core/fingerprint.js';
import { createLocator, stripBom } from '../core/location.js';
import { interpolate } from '../core/messages.js';
import { loadPythonParser, parsePython } from '../core/python/parser.js';
import type { ScriptCommand } from '../core/scripts/commands.js';
import type { AnyRuleModule, Finding, RuleId, ScriptInput } from '../core/types.js';
import { analyzePythonFile, analyzeScriptFile, analyzeSqlFile, analyzeTypescriptFile, migrationPhaseOf, type FileAnalysis } from './analyze-file.js';
import type { ResolvedConfig } from './config.js';
import { discoverFiles, type DiscoveredFile } from './discover.js';
import { UsageError } from './errors.js';
import { extractDockerfileCommands, referencedScripts } from './inputs/dockerfile.js';
import { extractPackageJsonCommands } from './inputs/package-json.js';
import { extractProcfileCommands } from './inputs/procfile.js';
import { extractShellCommands, isEntrypointScriptName } from './inputs/shell.js';
import { extractComposeFile, extractWorkflowCommands } from './inputs/yaml-commands.js';
import { AnalysisCache } from './cache.js';
import type { AuditResult, Diagnostic, ReportedFinding } from './result.js';

export interface AuditOptions {
  /** Files or folders to audit, relative to `cwd`. */
  paths: readonly string[];
  cwd: string;
  config: ResolvedConfig;
  /** Where role globs are matched from; by default the config's folder or the nearest project root. */
  root?: string;
  extraIgnores?: readonly string[];
  /** List skipped files as diagnostics (they are always counted). */
  verbose?: boolean;
  onProgress?: (done: number, total: number) => void;
  cache?: { location: string };
}

const PROJECT_MARKERS = ['package.json', 'pyproject.toml', 'setup.py', 'requirements.txt', '.git'];

/** The folder role globs are relative to: the config's folder, else the nearest project root above the first path. */
export function findProjectRoot(start: string, config: ResolvedConfig): string {
  if (config.baseDir) return config.baseDir;
  let dir = resolve(start);
  if (existsSync(dir) && statSync(dir).isFile()) dir = dirname(dir);
  for (let current = dir; ; current = dirname(current)) {
    if (PROJECT_MARKERS.some((marker) => existsSync(join(current, marker)))) return current;
    if (dirname(current) === current) return dir;
  }
}

interface ReadFile {
  file: DiscoveredFile;
  text: string;
}

/** Why a file cannot be read as source text: binary, not UTF-8, or generated/minified. */
function unreadableReason(buffer: Buffer, kind: DiscoveredFile['kind']): string | undefined {
  if (buffer.subarray(0, 8000).includes(0)) return 'binary file';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return 'not valid UTF-8';
  }
  if (kind === 'typescript' && buffer.length > 2000) {
    const text = buffer.toString('utf8', 0, Math.min(buffer.length, 200_000));
    const lines = text.split('\n');
    if (lines.some((line) => line.length > 5000) || text.length / lines.length > 500) return 'minified or bundled (very long lines)';
  }
  return undefined;
}

const SCRIPT_KINDS = new Set(['package-json', 'dockerfile', 'compose', 'procfile', 'workflow']);

export async function audit(options: AuditOptions): Promise<AuditResult> {
  const started = performance.now();
  const { config, cwd } = options;
  const cache = options.cache ? new AnalysisCache(options.cache.location, `${config.hash}\0${JSON.stringify(options.extraIgnores ?? [])}`) : undefined;
  const firstPath = resolve(cwd, options.paths[0] ?? '.');
  const root = options.root ? resolve(cwd, options.root) : findProjectRoot(firstPath, config);
  const roleOf = createRoleMatcher(config.roles);
  const absolutePaths = options.paths.map((p) => resolve(cwd, p));
  const { files, skipped, unmatched } = await discoverFiles(root, absolutePaths, [...config.ignore, ...(options.extraIgnores ?? [])], config.maxFileSize);
  if (unmatched.length > 0) throw new UsageError(`no such file or directory: ${unmatched.map((p) => options.paths[absolutePaths.indexOf(p)] ?? p).join(', ')}`);

  const display = (absolute: string) => relative(cwd, absolute).split(sep).join('/') || '.';
  const diagnostics: Diagnostic[] = [];
  const skip = (absolute: string, reason: string) => {
    skippedCount++;
    if (options.verbose) diagnostics.push({ file: display(absolute), message: `skipped: ${reason}`, kind: 'skipped', severity: 'warning' });
  };
  let skippedCount = 0;
  for (const s of skipped) skip(s.absolute, s.reason);

  const texts: ReadFile[] = [];
  for (const file of files) {
    let buffer: Buffer;
    try {
      buffer = readFileSync(file.absolute);
    } catch (error) {
      skip(file.absolute, `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      continue;
    }
    const reason = unreadableReason(buffer, file.kind);
    if (reason) {
      skip(file.absolute, reason);
      continue;
    }
    texts.push({ file, text: stripBom(buffer.toString('utf8')) });
  }

  const results = new Map<DiscoveredFile, { text: string; analysis: FileAnalysis }>();
  const settings = config.rules;
  let done = 0;
  const progress = () => options.onProgress?.(++done, texts.length);
  const byKind = (kind: DiscoveredFile['kind']) => texts.filter((t) => t.file.kind === kind);

  // JS/TS first: it tells which .sql files application code executes at startup.
  const executedSqlFiles = new Map<string, string>();
  const cached = (file: DiscoveredFile, text: string, context: string, analyze: () => FileAnalysis): FileAnalysis => {
    if (!cache) return analyze();
    const hash = AnalysisCache.hash(text, `${file.kind}\0${file.path}\0${context}`);
    const hit = cache.get(file.absolute, hash);
    if (hit) return hit;
    const analysis = analyze();
    cache.set(file.absolute, hash, analysis);
    return analysis;
  };
  for (const { file, text } of byKind('typescript')) {
    const analysis = cached(file, text, '', () => analyzeTypescriptFile(file.path, text, roleOf(file.path), settings, { facts: true }));
    results.set(file, { text, analysis });
    for (const executed of analysis.facts?.executedSqlFiles ?? []) executedSqlFiles.set(executed.name, `${file.path} (${executed.api})`);
    progress();
  }

  const pythonFiles = byKind('python');
  if (pythonFiles.length > 0 && activePythonRules(settings)) {
    const parser = await loadPythonParser();
    for (const { file, text } of pythonFiles) {
      results.set(file, { text, analysis: cached(file, text, '', () => analyzePythonFile(file.path, text, roleOf(file.path), settings, (t) => parsePython(parser, t))) });
      progress();
    }
  } else {
    for (const _ of pythonFiles) progress();
  }

  for (const { file, text } of byKind('sql')) {
    const name = file.path.split('/').pop()!;
    const executedBy = executedSqlFiles.get(name);
    const analysis = cached(file, text, executedBy ?? '', () => analyzeSqlFile({ path: file.path, text, role: roleOf(file.path), migrationPhase: migrationPhaseOf(file.path), executedBy }, settings));
    results.set(file, { text, analysis });
    progress();
  }

  const startScripts = new Map<string, string>();
  for (const { file, text } of texts.filter((t) => SCRIPT_KINDS.has(t.file.kind))) {
    let commands: ScriptCommand[];
    try {
      commands = extractCommands(file, text);
    } catch (error) {
      results.set(file, { text, analysis: { findings: [], suppressed: [], suppressionProblems: [], parseError: { offset: 0, message: (error as Error).message } } });
      progress();
      continue;
    }
    for (const script of referencedScripts(commands)) startScripts.set(script.replace(/^\.?\//, '').split('/').pop()!, `${file.path}`);
    const input: ScriptInput = { path: file.path, text, role: roleOf(file.path), kind: file.kind as ScriptInput['kind'], commands };
    results.set(file, { text, analysis: analyzeScriptFile(input, settings) });
    progress();
  }

  for (const { file, text } of byKind('shell')) {
    const name = file.path.split('/').pop()!;
    const referencedBy = startScripts.get(name);
    if (referencedBy || isEntrypointScriptName(file.path)) {
      const commands = extractShellCommands(text, 'start', referencedBy ? `${file.path}, started by ${referencedBy}` : `${file.path}, an entrypoint script`);
      results.set(file, { text, analysis: analyzeScriptFile({ path: file.path, text, role: roleOf(file.path), kind: 'shell', commands }, settings) });
    }
    progress();
  }
  for (const _ of byKind('env')) progress();

  const findings: ReportedFinding[] = [];
  for (const [file, { text, analysis }] of results) {
    const locate = createLocator(text);
    const lines = text.split(/\r\n|[\r\n\u2028\u2029]/);
    const name = display(file.absolute);
    if (analysis.parseError) {
      const at = locate(analysis.parseError.offset);
      diagnostics.push({ file: name, line: at.line, column: at.column, message: `cannot parse, skipped: ${analysis.parseError.message}`, kind: 'parse-error', severity: 'error' });
    }
    for (const problem of analysis.suppressionProblems) {
      const at = locate(problem.offset);
      diagnostics.push({ file: name, line: at.line, column: at.column, message: problem.message, kind: 'suppression', severity: 'warning' });
    }
    const reported = [
      ...analysis.findings.map((f) => ({ finding: f, suppressed: undefined })),
      ...analysis.suppressed.map((s) => ({ finding: s.finding, suppressed: { kind: s.kind, justification: s.justification } })),
    ].sort((a, b) => a.finding.range[0] - b.finding.range[0] || a.finding.ruleId.localeCompare(b.finding.ruleId));
    const located = reported.map(({ finding, suppressed }) => {
      const start = locate(finding.range[0]);
      return { finding, suppressed, start, ruleId: finding.ruleId, messageId: finding.messageId, sourceLine: lines[start.line - 1] ?? '' };
    });
    const fingerprints = fingerprintFileFindings(relative(root, file.absolute).split(sep).join('/'), located);
    located.forEach(({ finding, suppressed, start, sourceLine }, i) => {
      const end = locate(Math.max(finding.range[0], finding.range[1]));
      findings.push({
        ...toReported(finding, name, start, end, locate),
        sourceLine,
        fingerprint: fingerprints[i]!,
        ...(suppressed ? { suppressed } : {}),
      });
    });
  }
  cache?.save();
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId)));
  diagnostics.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  const active = findings.filter((f) => !f.suppressed);
  return {
    cwd,
    findings,
    diagnostics,
    summary: {
      files: texts.length,
      errors: active.filter((f) => f.severity === 'error').length,
      warnings: active.filter((f) => f.severity === 'warning').length,
      suppressed: findings.length - active.length,
      skipped: skippedCount,
      durationMs: Math.round(performance.now() - started),
    },
  };
}

function activePythonRules(settings: ResolvedConfig['rules']): boolean {
  return Object.values(rules as Record<string, AnyRuleModule>).some((rule) => rule.detect.python && settings.get(rule.meta.id)?.level !== 'off');
}

function extractCommands(file: DiscoveredFile, text: string): ScriptCommand[] {
  switch (file.kind) {
    case 'package-json':
      return extractPackageJsonCommands(text);
    case 'dockerfile':
      return extractDockerfileCommands(text);
    case 'procfile':
      return extractProcfileCommands(text);
    case 'compose':
      return extractComposeFile(text, file.path).commands;
    case 'workflow':
      return extractWorkflowCommands(text, file.path);
    default:
      return [];
  }
}

function toReported(finding: Finding, file: string, start: { line: number; column: number }, end: { line: number; column: number }, locate: (offset: number) => { line: number; column: number }) {
  const rule = (rules as Record<string, AnyRuleModule>)[finding.ruleId]!;
  return {
    ruleId: finding.ruleId as RuleId,
    severity: finding.severity,
    file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    message: interpolate(rule.meta.messages[finding.messageId] ?? finding.messageId, finding.data),
    messageId: finding.messageId,
    engines: ['scanner' as const],
    ...(finding.suggestions && finding.suggestions.length > 0
      ? {
          suggestions: finding.suggestions.map((s) => {
            const from = locate(s.fix.range[0]);
            const to = locate(s.fix.range[1]);
            return { message: interpolate(rule.meta.messages[s.messageId] ?? s.messageId, s.data), replacement: { line: from.line, column: from.column, endLine: to.line, endColumn: to.column, text: s.fix.text } };
          }),
        }
      : {}),
  };
}
