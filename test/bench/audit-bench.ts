/**
 * `npm run bench [-- <dir>…] [--sizes 500,1000,2000]`: audit wall time and peak memory against a
 * baseline that only globs, reads and `ts.createSourceFile`s every JS/TS file once, on one thread.
 * Each measurement runs in its own child processes (the median of `--runs`, default 3) so peak RSS is
 * its own; ratios come from one invocation.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fg from 'fast-glob';
import { ts } from '../../src/core/ts.js';
import { loadPythonParser, parsePython } from '../../src/core/python/parser.js';
import { audit } from '../../src/scanner/audit.js';
import { loadConfig } from '../../src/scanner/config.js';
import { ALWAYS_IGNORED } from '../../src/scanner/discover.js';
import { writeSyntheticRepo } from './synthetic-repo.js';

type Measure = 'baseline' | 'audit' | 'audit-cold-cache' | 'audit-warm-cache' | 'python-parse';

interface Measurement {
  ms: number;
  peakMiB: number;
  files: number;
  findings?: number;
}

async function measure(kind: Measure, dir: string, cacheDir: string): Promise<Measurement> {
  const started = performance.now();
  let files = 0;
  let findings: number | undefined;
  if (kind === 'baseline') {
    const paths = await fg('**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts}', { cwd: dir, ignore: ALWAYS_IGNORED, absolute: true, dot: true });
    for (const path of paths) {
      ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
      files++;
    }
  } else if (kind === 'python-parse') {
    const parser = await loadPythonParser();
    for (const path of await fg('**/*.py', { cwd: dir, ignore: ALWAYS_IGNORED, absolute: true, dot: true })) {
      parsePython(parser, readFileSync(path, 'utf8')).delete();
      files++;
    }
  } else {
    const result = await audit({ paths: [dir], cwd: dir, config: loadConfig(dir), root: dir, cache: kind === 'audit' ? undefined : { location: cacheDir } });
    files = result.summary.files;
    findings = result.findings.length;
  }
  return { ms: performance.now() - started, peakMiB: process.resourceUsage().maxRSS / 1024, files, findings };
}

let runs = 3;

function runOnce(kind: Measure, dir: string, cacheDir: string): Measurement {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--measure', kind, dir, cacheDir], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(out.trim().split('\n').pop()!) as Measurement;
}

function median(results: Measurement[]): Measurement {
  return [...results].sort((a, b) => a.ms - b.ms)[Math.floor(results.length / 2)]!;
}

/**
 * The median of `runs` fresh processes of each kind. Kinds are interleaved (baseline, audit,
 * baseline, audit…): on a shared 2-core machine the load drifts, and running all baselines first
 * would charge the drift to one side of the ratio.
 */
function runInterleaved(kinds: readonly Measure[], dir: string, cacheDir: string): Measurement[] {
  const results = kinds.map(() => [] as Measurement[]);
  for (let i = 0; i < runs; i++) kinds.forEach((kind, k) => results[k]!.push(runOnce(kind, dir, cacheDir)));
  return results.map(median);
}

function countLines(dir: string): Promise<number> {
  return fg('**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts,py}', { cwd: dir, ignore: ALWAYS_IGNORED, absolute: true, dot: true }).then((paths) => paths.reduce((n, p) => n + readFileSync(p, 'utf8').split('\n').length, 0));
}

async function benchTarget(label: string, dir: string): Promise<void> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'dbguard-bench-cache-'));
  try {
    const lines = await countLines(dir);
    runOnce('audit-cold-cache', dir, cacheDir);
    const [baseline, auditRun, warm, python] = runInterleaved(['baseline', 'audit', 'audit-warm-cache', 'python-parse'], dir, cacheDir) as [Measurement, Measurement, Measurement, Measurement];
    const ratio = (m: Measurement) => (m.ms / baseline.ms).toFixed(2);
    const mem = (m: Measurement) => (m.peakMiB / baseline.peakMiB).toFixed(2);
    console.log(`\n${label}: ${auditRun.files} files read by the audit, ${baseline.files} JS/TS files, ${lines.toLocaleString('en')} JS/TS/Python lines`);
    console.log(`  ${'measurement'.padEnd(44)} ${'wall'.padStart(9)} ${'×base'.padStart(6)} ${'peak RSS'.padStart(10)} ${'×base'.padStart(6)}`);
    const row = (name: string, m: Measurement) => console.log(`  ${name.padEnd(44)} ${`${m.ms.toFixed(0)} ms`.padStart(9)} ${ratio(m).padStart(6)} ${`${m.peakMiB.toFixed(0)} MiB`.padStart(10)} ${mem(m).padStart(6)}`);
    row('baseline: glob + read + parse every JS/TS once', baseline);
    row(`dbguard audit (${auditRun.findings} findings)`, auditRun);
    row('dbguard audit --cache, warm', warm);
    row(`tree-sitter: parse every Python file (${python.files})`, python);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--measure') {
    const result = await measure(argv[1] as Measure, argv[2]!, argv[3]!);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const runsAt = argv.indexOf('--runs');
  if (runsAt !== -1) runs = Math.max(1, Number(argv[runsAt + 1]));
  const sizesAt = argv.indexOf('--sizes');
  const sizes = sizesAt === -1 ? [500, 1000, 2000] : argv[sizesAt + 1]!.split(',').map(Number);
  const dirs = argv.filter((a, i) => !a.startsWith('--') && (sizesAt === -1 || i !== sizesAt + 1) && (runsAt === -1 || i !== runsAt + 1));
  console.log(`dbguard bench on ${process.version}, ${process.platform}; each row the median of ${runs} separate processes, ratios against the baseline of the same target`);
  if (dirs.length > 0) {
    for (const dir of dirs) await benchTarget(dir, resolve(dir));
    return;
  }
  for (const size of sizes) {
    const dir = mkdtempSync(join(tmpdir(), `dbguard-bench-${size}-`));
    try {
      writeSyntheticRepo(dir, size);
      await benchTarget(`synthetic repository, ${size} files`, dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

await main(process.argv.slice(2));
