#!/usr/bin/env node
// The ecosystem check (as Ruff's python/ruff-ecosystem): audit pinned public repositories and
// compare every finding with the committed labels. Never part of `npm test`: the repositories are
// not in this one. Read ecosystem/README.md for how to get local copies.
//
//   npm run ecosystem -- --mirrors DIR [--only a/b,c/d] [--save FILE] [--against FILE] [--from FILE]
//                        [--unlabelled FILE] [--jobs N] [--verbose]
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const BIN = join(ROOT, 'lib', 'src', 'cli', 'main.js');
const VERDICTS = new Set(['tp', 'fp', 'debatable', 'fn']);

const { values: options } = parseArgs({
  options: {
    mirrors: { type: 'string', default: process.env.DBGUARD_ECOSYSTEM_MIRRORS },
    checkouts: { type: 'string', default: join(tmpdir(), 'dbguard-ecosystem') },
    only: { type: 'string' },
    save: { type: 'string' },
    against: { type: 'string' },
    from: { type: 'string' },
    unlabelled: { type: 'string' },
    jobs: { type: 'string', default: '2' },
    verbose: { type: 'boolean', default: false },
  },
});

function usage(message) {
  process.stderr.write(`ecosystem: ${message}\n`);
  process.exit(2);
}

if (!options.mirrors && !options.from) usage('--mirrors DIR (or DBGUARD_ECOSYSTEM_MIRRORS) is required: a folder of local copies, see ecosystem/README.md');
if (!existsSync(BIN)) usage(`${BIN} does not exist: run \`npm run build\` first`);

const corpus = JSON.parse(readFileSync(join(HERE, 'repos.json'), 'utf8'));
const only = options.only ? new Set(options.only.split(',')) : undefined;
const repos = corpus.repos.filter((r) => !only || only.has(r.repo));
if (only) for (const name of only) if (!repos.some((r) => r.repo === name)) usage(`--only: ${name} is not in ecosystem/repos.json`);

/** Labels of every repository, keyed `repo path:line rule`; a label of another commit is an error. */
function readLabels() {
  const labels = new Map();
  const dir = join(HERE, 'labels');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort()) {
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if (!line.trim()) return;
        const where = `ecosystem/labels/${file}:${index + 1}`;
        let label;
        try {
          label = JSON.parse(line);
        } catch (error) {
          usage(`${where}: ${error.message}`);
        }
        for (const field of ['repo', 'commit', 'path', 'line', 'rule', 'verdict', 'reason']) if (label[field] === undefined || label[field] === '') usage(`${where}: "${field}" is missing`);
        if (!VERDICTS.has(label.verdict)) usage(`${where}: verdict must be tp, fp, debatable or fn, got "${label.verdict}"`);
        const pinned = corpus.repos.find((r) => r.repo === label.repo);
        if (!pinned) usage(`${where}: ${label.repo} is not in ecosystem/repos.json`);
        if (pinned.commit !== label.commit) usage(`${where}: labelled at ${label.commit}, but ${label.repo} is pinned at ${pinned.commit}`);
        const key = keyOf(label.repo, label.path, label.line, label.rule);
        if (labels.has(key)) usage(`${where}: a second label for ${key}`);
        labels.set(key, { ...label, where });
      });
  }
  return labels;
}

const keyOf = (repo, path, line, rule) => `${repo} ${path}:${line} ${rule}`;

/** The git directory of a local copy: `DIR/owner+name` or `DIR/owner/name`, a clone or a bare repository. */
function gitDirOf(repo) {
  for (const base of [join(options.mirrors, repo.replace('/', '+')), join(options.mirrors, repo)]) {
    for (const candidate of [join(base, 'repo', '.git'), join(base, 'repo'), join(base, '.git'), base]) {
      if (existsSync(join(candidate, 'HEAD')) && existsSync(join(candidate, 'objects'))) return candidate;
    }
  }
  return undefined;
}

/**
 * The pinned commit's tree, extracted once with `git archive` (no work tree of the copy is touched).
 * Blobs absent from a partial copy (a `--filter` clone, a mirror without its largest files) are left
 * out and counted.
 */
function checkout({ repo, commit }) {
  const gitDir = gitDirOf(repo);
  if (!gitDir) return undefined;
  const dir = join(options.checkouts, `${repo.replace('/', '+')}@${commit.slice(0, 12)}`);
  const marker = join(dir, '.ecosystem-complete');
  if (existsSync(marker)) return { dir, absentBlobs: Number(readFileSync(marker, 'utf8')) || 0 };
  const git = (args, input) => execFileSync('git', ['--git-dir', gitDir, ...args], { input, maxBuffer: 1 << 30, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  const blobs = git(['ls-tree', '-r', '-z', commit])
    .split('\0')
    .filter(Boolean)
    .map((entry) => /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(entry))
    .filter(Boolean);
  const states = git(['cat-file', '--batch-check'], blobs.map((m) => m[1]).join('\n') + '\n').split('\n');
  const absent = blobs.filter((_, i) => states[i]?.endsWith(' missing')).map((m) => m[2]);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const excludes = absent.map((path) => `:(exclude,literal)${path}`);
  const archive = execFileSync('git', ['--git-dir', gitDir, 'archive', commit, '--', '.', ...excludes], { maxBuffer: 4 << 30 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive, maxBuffer: 1 << 20 });
  writeFileSync(marker, String(absent.length));
  return { dir, absentBlobs: absent.length };
}

/** One whole `dbguard audit` process, as a user runs it. */
function audit(dir) {
  return new Promise((done) => {
    const started = process.hrtime.bigint();
    execFile(process.execPath, [BIN, 'audit', '.', '--root', '.', '--format', 'json', '--fail-on', 'never'], { cwd: dir, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', CI: '1' } }, (error, stdout, stderr) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (error) {
        done({ crashed: `exit ${error.code}: ${stderr.trim().split('\n').slice(0, 3).join(' | ')}`, ms });
        return;
      }
      try {
        done({ result: JSON.parse(stdout), ms });
      } catch (parseError) {
        done({ crashed: `unreadable JSON: ${parseError.message}`, ms });
      }
    });
  });
}

async function runAll() {
  const outcomes = [];
  const queue = [...repos];
  const jobs = Math.max(1, Number(options.jobs) || 1);
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      for (let entry = queue.shift(); entry; entry = queue.shift()) {
        let copy;
        try {
          copy = checkout(entry);
        } catch (error) {
          outcomes.push({ ...entry, findings: [], diagnostics: 0, crashed: `cannot extract the pinned tree: ${String(error.stderr || error.message).trim().split('\n')[0]}` });
          continue;
        }
        if (!copy) {
          outcomes.push({ ...entry, absent: true });
          continue;
        }
        const outcome = await audit(copy.dir);
        const findings = (outcome.result?.findings ?? [])
          .filter((f) => !f.suppressed)
          .map((f) => ({ repo: entry.repo, path: f.file, line: f.line, column: f.column, rule: f.ruleId, severity: f.severity, message: f.message }));
        const diagnostics = (outcome.result?.diagnostics ?? []).length;
        outcomes.push({ ...entry, findings, diagnostics, crashed: outcome.crashed, ms: outcome.ms, absentBlobs: copy.absentBlobs });
        if (options.verbose) process.stderr.write(`${entry.repo}: ${outcome.crashed ?? `${findings.length} findings`} in ${(outcome.ms / 1000).toFixed(1)} s\n`);
      }
    }),
  );
  return outcomes.sort((a, b) => a.repo.localeCompare(b.repo));
}

const ratio = (n, d) => (d === 0 ? '—' : (n / d).toFixed(2));

function report(outcomes, labels) {
  const audited = outcomes.filter((o) => !o.absent && !o.crashed);
  const auditedRepos = new Set(audited.map((o) => o.repo));
  const findings = audited.flatMap((o) => o.findings);
  const seen = new Set();
  const rows = new Map();
  const row = (rule) => rows.get(rule) ?? rows.set(rule, { tp: 0, fp: 0, debatable: 0, unlabelled: 0, errorTp: 0, errorFp: 0 }).get(rule);
  const unlabelled = [];
  const severityChanged = [];
  const fnFound = [];
  for (const finding of findings) {
    const key = keyOf(finding.repo, finding.path, finding.line, finding.rule);
    seen.add(key);
    const label = labels.get(key);
    const r = row(finding.rule);
    if (!label) {
      r.unlabelled += 1;
      unlabelled.push(finding);
      continue;
    }
    const verdict = label.verdict === 'fn' ? 'tp' : label.verdict;
    if (label.verdict === 'fn') fnFound.push(label);
    r[verdict] += 1;
    if (finding.severity === 'error' && verdict !== 'debatable') r[verdict === 'tp' ? 'errorTp' : 'errorFp'] += 1;
    if (label.severity && label.severity !== finding.severity) severityChanged.push({ ...finding, was: label.severity });
  }
  const risks = [...labels.values()].filter((l) => auditedRepos.has(l.repo) && (l.verdict === 'tp' || l.verdict === 'fn'));
  const lost = risks.filter((l) => l.verdict === 'tp' && !seen.has(keyOf(l.repo, l.path, l.line, l.rule)));
  const missed = risks.filter((l) => !seen.has(keyOf(l.repo, l.path, l.line, l.rule)));
  const goneFp = [...labels.values()].filter((l) => auditedRepos.has(l.repo) && l.verdict === 'fp' && !seen.has(keyOf(l.repo, l.path, l.line, l.rule)));

  const total = { tp: 0, fp: 0, debatable: 0, unlabelled: 0, errorTp: 0, errorFp: 0 };
  const out = [];
  out.push(`Repositories: ${repos.length} in the corpus, ${audited.length} audited, ${outcomes.filter((o) => o.absent).length} absent, ${outcomes.filter((o) => o.crashed).length} crashed`);
  const partial = audited.filter((o) => o.absentBlobs > 0);
  if (partial.length > 0) out.push(`Files absent from partial copies (left out): ${partial.map((o) => `${o.repo} ${o.absentBlobs}`).join(', ')}`);
  for (const o of outcomes.filter((o) => o.crashed)) out.push(`  CRASH ${o.repo}: ${o.crashed}`);
  out.push('');
  out.push('| rule | findings | tp | fp | debatable | unlabelled | precision | error tp/fp | error precision |');
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [rule, r] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
    for (const k of Object.keys(total)) total[k] += r[k];
    out.push(`| ${rule} | ${r.tp + r.fp + r.debatable + r.unlabelled} | ${r.tp} | ${r.fp} | ${r.debatable} | ${r.unlabelled} | ${ratio(r.tp, r.tp + r.fp)} | ${r.errorTp}/${r.errorFp} | ${ratio(r.errorTp, r.errorTp + r.errorFp)} |`);
  }
  out.push(`| **all** | ${total.tp + total.fp + total.debatable + total.unlabelled} | ${total.tp} | ${total.fp} | ${total.debatable} | ${total.unlabelled} | ${ratio(total.tp, total.tp + total.fp)} | ${total.errorTp}/${total.errorFp} | ${ratio(total.errorTp, total.errorTp + total.errorFp)} |`);
  out.push('');
  out.push(`Recall on labelled risks: ${risks.length - missed.length}/${risks.length} = ${ratio(risks.length - missed.length, risks.length)}`);
  out.push(`Diagnostics (files dbguard could not read or parse): ${audited.reduce((n, o) => n + o.diagnostics, 0)}`);
  const list = (title, items, show) => {
    out.push('', `${title}: ${items.length}`);
    for (const item of items) out.push(`  ${show(item)}`);
  };
  list('Lost true positives', lost, (l) => `${keyOf(l.repo, l.path, l.line, l.rule)} — ${l.reason}`);
  list('Labelled misses (fn) still missed', missed.filter((l) => l.verdict === 'fn'), (l) => `${keyOf(l.repo, l.path, l.line, l.rule)} — ${l.reason}`);
  list('Labelled misses (fn) now found', fnFound, (l) => `${keyOf(l.repo, l.path, l.line, l.rule)} — ${l.reason}`);
  list('False positives no longer reported', goneFp, (l) => `${keyOf(l.repo, l.path, l.line, l.rule)} — ${l.reason}`);
  list('Severity changed since labelled', severityChanged, (f) => `${keyOf(f.repo, f.path, f.line, f.rule)} ${f.was} → ${f.severity}`);
  list('New unlabelled findings', unlabelled, (f) => `${keyOf(f.repo, f.path, f.line, f.rule)} ${f.severity}: ${f.message.split('\n')[0].slice(0, 160)}`);
  return { text: out.join('\n'), unlabelled };
}

/** What changed between two saved runs (`--save`), finding by finding. */
function diffAgainst(outcomes, file) {
  const audited = new Set(outcomes.filter((o) => !o.absent && !o.crashed).map((o) => o.repo));
  const before = JSON.parse(readFileSync(file, 'utf8')).filter((o) => audited.has(o.repo));
  const show = (f) => `${keyOf(f.repo, f.path, f.line, f.rule)} ${f.severity}`;
  const was = new Map(before.flatMap((o) => o.findings ?? []).map((f) => [keyOf(f.repo, f.path, f.line, f.rule), f]));
  const now = new Map(outcomes.flatMap((o) => o.findings ?? []).map((f) => [keyOf(f.repo, f.path, f.line, f.rule), f]));
  const lines = [`\nAgainst ${file}:`];
  for (const [key, f] of now) if (!was.has(key)) lines.push(`  + ${show(f)}`);
  for (const [key, f] of was) if (!now.has(key)) lines.push(`  - ${show(f)}`);
  for (const [key, f] of now) if (was.has(key) && was.get(key).severity !== f.severity) lines.push(`  ~ ${show(f)} (was ${was.get(key).severity})`);
  if (lines.length === 1) lines.push('  no change');
  return lines.join('\n');
}

const labels = readLabels();
// `--from run.json`: the report of a saved run against today's labels, without auditing again.
const outcomes = options.from ? JSON.parse(readFileSync(options.from, 'utf8')).filter((o) => repos.some((r) => r.repo === o.repo)) : await runAll();
const { text, unlabelled } = report(outcomes, labels);
process.stdout.write(`${text}\n`);
if (options.against) process.stdout.write(`${diffAgainst(outcomes, options.against)}\n`);
if (options.save) writeFileSync(options.save, JSON.stringify(outcomes.map(({ repo, commit, findings, diagnostics, crashed, ms }) => ({ repo, commit, findings, diagnostics, crashed, ms })), null, 1));
if (options.unlabelled) {
  const commitOf = new Map(corpus.repos.map((r) => [r.repo, r.commit]));
  writeFileSync(options.unlabelled, unlabelled.map((f) => JSON.stringify({ repo: f.repo, commit: commitOf.get(f.repo), path: f.path, line: f.line, rule: f.rule, severity: f.severity, verdict: '', reason: '', message: f.message })).join('\n') + (unlabelled.length ? '\n' : ''));
}
process.exitCode = outcomes.some((o) => o.crashed) ? 1 : 0;
