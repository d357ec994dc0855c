import type { EnvEntry } from './yaml-commands.js';

/** `KEY=value`, `export KEY="value"`; comments and blank lines skipped. Offsets point at the value. */
export function parseEnvFile(text: string): EnvEntry[] {
  const entries: EnvEntry[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$/.exec(line.replace(/\r$/, ''));
    if (m && !line.trimStart().startsWith('#')) {
      let value = m[2]!;
      let at = offset + line.indexOf(value, line.indexOf('=') + 1);
      const quoted = /^(['"])(.*)\1$/.exec(value);
      if (quoted) {
        value = quoted[2]!;
        at += 1;
      } else {
        value = value.replace(/\s+#.*$/, '');
      }
      entries.push({ name: m[1]!, value, range: [at, at + value.length] });
    }
    offset += line.length + 1;
  }
  return entries;
}
