import { mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditResult } from '../../src/scanner/result.js';
import { runNode } from '../support/process.js';

// The worker only exists compiled (`npm test` builds first): from source, the audit reads in one thread.
const ROOT = join(import.meta.dirname, '..', '..');
const BUILT = (path: string) => pathToFileURL(join(ROOT, 'lib', path)).href;
const FIXTURES = join(ROOT, 'fixtures');

/** The files a fresh Node process has loaded through `require` after importing `module`. */
async function modulesLoadedBy(module: string): Promise<string[]> {
  const script = `import { createRequire } from 'node:module'; await import(${JSON.stringify(module)}); console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`;
  return JSON.parse((await runNode(['--input-type=module', '-e', script])).stdout) as string[];
}

const typescriptIn = (paths: string[]) => paths.filter((p) => /[\\/](?:typescript|ts-morph)[\\/]/.test(p));

async function auditBoth(root: string): Promise<[AuditResult, AuditResult]> {
  const { audit } = (await import(BUILT('src/scanner/audit.js'))) as typeof import('../../src/scanner/audit.js');
  const { loadConfig } = (await import(BUILT('src/scanner/config.js'))) as typeof import('../../src/scanner/config.js');
  const run = (threads: boolean) => audit({ paths: ['.'], cwd: root, root, config: loadConfig(root), threads, verbose: true });
  return [await run(false), await run(true)];
}

/** What must not depend on how many threads read the files. */
const outcome = (result: AuditResult) => ({ findings: result.findings, diagnostics: result.diagnostics, summary: { ...result.summary, durationMs: 0 } });

const temporary: string[] = [];
afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('the thread that walks and reads the files', () => {
  it('loads no TypeScript, so it starts in milliseconds while the audit thread works', async () => {
    expect(typescriptIn(await modulesLoadedBy(BUILT('src/scanner/read-files.js')))).toEqual([]);
    // The same check sees TypeScript where it is loaded: the audit's own modules.
    expect(typescriptIn(await modulesLoadedBy(BUILT('src/scanner/audit.js')))).not.toEqual([]);
  });

  it('skips and reports what one thread skips: binary, not UTF-8, too large, minified, a symbolic link', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dbguard-threads-'));
    temporary.push(root);
    writeFileSync(join(root, 'package.json'), '{ "scripts": { "start": "prisma migrate reset --force && node server.js" } }');
    writeFileSync(join(root, 'server.js'), "const { sequelize } = require('./db');\nsequelize.sync({ force: true });\n");
    writeFileSync(join(root, 'binary.js'), Buffer.from([0x63, 0x00, 0x6f, 0x6e]));
    writeFileSync(join(root, 'latin1.sql'), Buffer.from('DROP TABLE caf\xe9;\n', 'latin1'));
    writeFileSync(join(root, 'huge.ts'), `export const big = '${'x'.repeat(600 * 1024)}';\n`);
    writeFileSync(join(root, 'bundle.js'), `var a=1;${'a+=1;'.repeat(40_000)}\n`);
    symlinkSync(join(root, 'server.js'), join(root, 'link.js'));
    const [one, two] = await auditBoth(root);
    expect((two.timings ?? []).map((t) => t.phase)).toContain('discover & read (2 threads)');
    expect((one.timings ?? []).map((t) => t.phase)).toContain('discover & read');
    expect(one.diagnostics.map((d) => `${d.file}: ${d.message}`).sort()).toEqual([
      'binary.js: skipped: binary file',
      'bundle.js: skipped: minified or bundled (very long lines)',
      'huge.ts: skipped: larger than 512 KB (set maxFileSize to read it)',
      'latin1.sql: skipped: not valid UTF-8',
      'link.js: skipped: symbolic link',
    ]);
    expect(one.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['package.json:1 no-destructive-script', 'server.js:2 no-destructive-schema-call']);
    expect(outcome(two)).toEqual(outcome(one));
  });

  const roots = ['rules', 'repos'].flatMap((group) =>
    readdirSync(join(FIXTURES, group))
      .map((name) => join(FIXTURES, group, name))
      .filter((path) => statSync(path).isDirectory()),
  );
  for (const root of roots) {
    it(`${root.slice(FIXTURES.length + 1)}: two threads find what one finds`, async () => {
      const [one, two] = await auditBoth(root);
      expect((two.timings ?? []).map((t) => t.phase)).toContain('discover & read (2 threads)');
      expect(outcome(two)).toEqual(outcome(one));
    });
  }
});
