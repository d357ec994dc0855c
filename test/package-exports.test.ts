import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNode } from './support/process.js';

const ROOT = join(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { default: string } | string>; bin: Record<string, string> };

/** What a user's `import` resolves to, from the built package (`npm test` builds first). */
async function importFromPackage(specifier: string, expression: string): Promise<string> {
  const script = `import(${JSON.stringify(specifier)}).then((m) => console.log(JSON.stringify(${expression})))`;
  const { code, stdout, stderr } = await runNode(['--input-type=module', '-e', script], { cwd: ROOT });
  if (code !== 0) throw new Error(stderr);
  return stdout.trim();
}

describe('package exports', () => {
  it('the default export is the flat-config plugin with recommended and all configs', async () => {
    const shape = JSON.parse(await importFromPackage('eslint-plugin-dbguard', '{ name: m.default.meta.name, rules: Object.keys(m.default.rules).length, configs: Object.keys(m.default.configs) }'));
    expect(shape).toEqual({ name: 'eslint-plugin-dbguard', rules: 8, configs: ['recommended', 'all'] });
  });

  it('./api exposes audit, config loading and the formatters', async () => {
    const names = JSON.parse(await importFromPackage('eslint-plugin-dbguard/api', 'Object.keys(m).sort()'));
    expect(names).toEqual(expect.arrayContaining(['audit', 'loadConfig', 'formatters', 'exitCodeFor', 'readBaseline']));
  });

  it('every export and the bin point at built files that exist', () => {
    for (const target of [...Object.values(pkg.exports).map((e) => (typeof e === 'string' ? e : e.default)), ...Object.values(pkg.bin)]) {
      expect(() => readFileSync(join(ROOT, target))).not.toThrow();
    }
  });
});
