import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { endGroup, getInput, info, setFailed, setOutput, startGroup } from '@actions/core';
import { REPOSITORY_URL, VERSION } from '../core/package-info.js';
import { formatters, type FormatterContext } from '../formatters/index.js';
import { plural } from '../formatters/common.js';
import { audit, findProjectRoot } from '../scanner/audit.js';
import { applyBaseline, readBaseline } from '../scanner/baseline.js';
import { filterToChangedLines, getChangedLines } from '../scanner/changed-lines.js';
import { loadConfig } from '../scanner/config.js';
import { discoverFiles } from '../scanner/discover.js';
import { UsageError } from '../scanner/errors.js';
import type { AuditResult } from '../scanner/result.js';
import { runEslint } from './eslint.js';
import { InputError, readInputs, type ActionInputs } from './inputs.js';
import { failingFindings } from '../scanner/fail-on.js';
import { failureReason, mergeFindings, rebaseResult, withFindings } from './merge.js';

interface Analysis {
  result: AuditResult;
  /** Lines for the log and the job summary: engines, baseline, diff base. */
  notes: string[];
}

/** The pull request's base commit, from the event payload the runner wrote; `undefined` for other events. */
export function pullRequestBase(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.GITHUB_EVENT_PATH) return undefined;
  let payload: { pull_request?: { base?: { sha?: unknown } } };
  try {
    payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as typeof payload;
  } catch {
    return undefined;
  }
  const sha = payload.pull_request?.base?.sha;
  return typeof sha === 'string' && /^[0-9a-f]{7,64}$/i.test(sha) ? sha : undefined;
}

function formatter(name: string) {
  return formatters.get(name)!.format;
}

async function analyse(inputs: ActionInputs, env: NodeJS.ProcessEnv): Promise<Analysis> {
  const cwd = inputs.workingDirectory;
  const config = loadConfig(resolve(cwd, inputs.paths[0] ?? '.'), inputs.config);
  const scanned = await audit({ paths: inputs.paths, cwd, config });
  if (scanned.summary.files + scanned.summary.skipped === 0) {
    throw new InputError('paths', `matches no file dbguard reads (JavaScript, TypeScript, Python, SQL, package.json, Dockerfiles, compose files, shell scripts, workflows): ${inputs.paths.join(', ')}`);
  }
  const notes = [`Scanner: read ${plural(scanned.summary.files, 'file')} in ${scanned.summary.durationMs} ms.`];

  // ESLint sees exactly the JS/TS files the scanner read, so the engines can only differ in judgement.
  const root = findProjectRoot(resolve(cwd, inputs.paths[0] ?? '.'), config);
  const { files } = await discoverFiles(root, inputs.paths.map((path) => resolve(cwd, path)), config.ignore);
  const eslint = await runEslint({
    mode: inputs.eslint,
    cwd,
    workspace: inputs.workspace,
    files: files.filter((file) => file.kind === 'typescript' && statSync(file.absolute).size <= config.maxFileSize).map((file) => file.absolute),
    root,
    config,
  });
  const merged = mergeFindings(scanned.findings, eslint.findings);
  const shared = merged.filter((finding) => finding.engines.length > 1).length;
  notes.push(eslint.findings.length > 0 ? `${eslint.note} ${plural(eslint.findings.length, 'finding')}, ${shared} also found by the scanner.` : eslint.note);
  let result = withFindings(scanned, merged);

  if (inputs.baseline) {
    result = applyBaseline(result, readBaseline(inputs.baseline.absolute), inputs.baseline.given);
    notes.push(`Baseline: ${inputs.baseline.given}.`);
  }

  const base = pullRequestBase(env);
  if (inputs.onlyChanged === true && !base) {
    throw new InputError('only-changed', `is "true", but this ${env.GITHUB_EVENT_NAME || 'unknown'} event has no pull request base commit; use "auto" to report every finding outside pull requests`);
  }
  if (inputs.onlyChanged !== false && base) {
    let changed;
    try {
      changed = getChangedLines(cwd, base);
    } catch (error) {
      const detail = error instanceof UsageError ? error.message.replace(/^--changed-since: /, '') : String(error);
      throw new InputError('only-changed', `needs the pull request's base commit ${base.slice(0, 12)} in the clone (${detail}). Check out with \`fetch-depth: 0\`, or set only-changed: false.`);
    }
    const active = (r: AuditResult) => r.findings.filter((finding) => !finding.suppressed).length;
    const before = active(result);
    result = filterToChangedLines(result, changed);
    const hidden = before - active(result);
    notes.push(`Only lines this pull request adds or changes (since ${base.slice(0, 12)}) are reported${hidden > 0 ? `; ${plural(hidden, 'finding')} elsewhere ${hidden === 1 ? 'is' : 'are'} not shown` : ''}.`);
  }
  return { result, notes };
}

/** Plain-text report for the log; workflow commands in it (a source line starting with `::`) are switched off. */
function logReport(result: AuditResult, context: FormatterContext): void {
  const token = randomUUID();
  startGroup(`dbguard report: ${plural(result.summary.errors, 'error')}, ${plural(result.summary.warnings, 'warning')}`);
  process.stdout.write(`::stop-commands::${token}\n${formatter('stylish')(result, context)}::${token}::\n`);
  endGroup();
}

function report(inputs: ActionInputs, analysis: Analysis, env: NodeJS.ProcessEnv): void {
  // Annotations and code scanning locate files from the repository root.
  const result = rebaseResult(analysis.result, inputs.workspace);
  const context: FormatterContext = { color: false, cwd: inputs.workspace };
  for (const note of analysis.notes) info(note);
  logReport(result, context);
  if (inputs.annotations) process.stdout.write(formatter('github')(result, context));
  if (inputs.summary && env.GITHUB_STEP_SUMMARY) {
    const notes = analysis.notes.map((note) => `- ${note}`).join('\n');
    appendFileSync(env.GITHUB_STEP_SUMMARY, `${formatter('markdown')(result, context)}\n<details><summary>How this run worked</summary>\n\n${notes}\n- dbguard ${VERSION} (${REPOSITORY_URL})\n\n</details>\n`);
  }
  let sarifOutput = '';
  if (inputs.sarifFile) {
    mkdirSync(dirname(inputs.sarifFile), { recursive: true });
    writeFileSync(inputs.sarifFile, formatter('sarif')(result, context));
    sarifOutput = relative(inputs.workspace, inputs.sarifFile).split(sep).join('/');
    info(`SARIF written to ${sarifOutput}.`);
  }
  const { errors, warnings } = result.summary;
  setOutput('findings', errors + warnings);
  setOutput('errors', errors);
  setOutput('warnings', warnings);
  setOutput('sarif-file', sarifOutput);
  const failing = failingFindings(result, inputs.failOn);
  if (failing.length > 0) setFailed(failureReason(failing, inputs.failOn));
}

/** The Action: inputs → scanner (+ the workspace's ESLint) → annotations, job summary, SARIF, outputs, pass/fail. */
export async function run(): Promise<void> {
  const env = process.env;
  try {
    const inputs = readInputs((name) => getInput(name), env);
    report(inputs, await analyse(inputs, env), env);
  } catch (error) {
    if (error instanceof UsageError || error instanceof InputError) {
      setFailed(error.message);
      return;
    }
    info(error instanceof Error ? (error.stack ?? error.message) : String(error));
    setFailed(`dbguard: internal error, please report it at ${REPOSITORY_URL}/issues: ${error instanceof Error ? error.message : String(error)}`);
  }
}
