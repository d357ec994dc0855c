import type { EnvEntry } from './yaml-commands.js';

/**
 * Environment variables pytest sets for the test run, from the pytest-env plugin's settings:
 *
 * - `pytest.ini` / `.pytest.ini` / `tox.ini` `[pytest]` and `setup.cfg` `[tool:pytest]`: an
 *   `env =` key whose lines are `KEY=value`, optionally flagged `D:` (only when unset) or `R:`
 *   (no `{VAR}` expansion);
 * - `pyproject.toml`: `env = ["KEY=value", …]` under `[tool.pytest.ini_options]`, and the
 *   `[tool.pytest_env]` table (`KEY = "value"` or `KEY = { value = "…", … }`).
 *
 * Ranges point at each value, like `.env` entries. Unknown file names yield nothing.
 */
export function parsePytestEnv(text: string, fileName: string): EnvEntry[] {
  const name = fileName.slice(fileName.lastIndexOf('/') + 1).toLowerCase();
  if (name === 'pyproject.toml') return parsePyproject(text);
  if (name === 'setup.cfg') return parseIni(text, 'tool:pytest');
  if (name === 'pytest.ini' || name === '.pytest.ini' || name === 'tox.ini') return parseIni(text, 'pytest');
  return [];
}

interface Line {
  text: string;
  start: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const m of text.matchAll(/\r\n|\r|\n/g)) {
    lines.push({ text: text.slice(start, m.index), start });
    start = m.index + m[0].length;
  }
  lines.push({ text: text.slice(start), start });
  return lines;
}

/** `D:R:KEY=value` → the entry, with its value's offset within `raw` (which starts at `at`). */
function parseAssignment(raw: string, at: number): EnvEntry | undefined {
  const m = /^((?:[DR]:)*)([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(raw);
  if (!m) return undefined;
  const rest = m[3]!;
  const value = rest.trim();
  const offset = at + m[1]!.length + m[2]!.length + (raw.slice(m[1]!.length + m[2]!.length).indexOf('=') + 1) + (rest.length - rest.trimStart().length);
  return { name: m[2]!, value, range: [offset, offset + value.length] };
}

/** configparser rules: `[section]`, `key = value` or `key: value`, continuation lines indented, `#`/`;` comments. */
function parseIni(text: string, section: string): EnvEntry[] {
  const entries: EnvEntry[] = [];
  let inSection = false;
  let inEnv = false;
  for (const line of splitLines(text)) {
    const trimmed = line.text.trim();
    const header = /^\[([^\]]+)\]\s*$/.exec(trimmed);
    if (header) {
      inSection = header[1]!.trim() === section;
      inEnv = false;
      continue;
    }
    if (!inSection || trimmed === '' || /^[#;]/.test(trimmed)) continue;
    const indented = /^[ \t]/.test(line.text);
    if (indented && inEnv) {
      const lead = line.text.length - line.text.trimStart().length;
      const entry = parseAssignment(line.text.trim(), line.start + lead);
      if (entry) entries.push(entry);
      continue;
    }
    const key = /^(\s*)([^=:\s]+)(\s*[=:]\s*)(.*)$/.exec(line.text);
    inEnv = key?.[2] === 'env';
    if (key && inEnv && key[4]!.trim() !== '') {
      const entry = parseAssignment(key[4]!.trim(), line.start + key[1]!.length + key[2]!.length + key[3]!.length);
      if (entry) entries.push(entry);
    }
  }
  return entries;
}

interface TomlString {
  value: string;
  /** Offset of the first character inside the quotes. */
  start: number;
  /** Whether `value` maps one-to-one onto the source (no escapes). */
  exact: boolean;
  end: number;
}

/** A TOML basic (`"…"`) or literal (`'…'`) string starting at `at`. */
function readTomlString(text: string, at: number): TomlString | undefined {
  const quote = text[at];
  if (quote !== '"' && quote !== "'") return undefined;
  let value = '';
  let exact = true;
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === quote) return { value, start: at + 1, exact, end: i + 1 };
    if (c === '\n') return undefined;
    if (c === '\\' && quote === '"') {
      exact = false;
      const next = text[++i];
      value += next === 'n' ? '\n' : next === 't' ? '\t' : (next ?? '');
      continue;
    }
    value += c;
  }
  return undefined;
}

function skipSpaceAndComments(text: string, at: number): number {
  let i = at;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text[i] !== '#') return i;
    while (i < text.length && text[i] !== '\n') i++;
  }
}

function tomlTables(text: string): { name: string; start: number; end: number }[] {
  const headers = [...text.matchAll(/^[ \t]*\[([^\[\]\n]+)\][ \t]*(?:#.*)?$/gm)];
  return headers.map((m, i) => ({ name: m[1]!.trim().replace(/\s*\.\s*/g, '.').replace(/"/g, ''), start: m.index + m[0].length, end: headers[i + 1]?.index ?? text.length }));
}

function entryFromTomlString(s: TomlString): EnvEntry | undefined {
  const entry = parseAssignment(s.value, s.start);
  if (!entry || s.exact) return entry;
  // With escapes the offsets are only known for the whole string.
  return { ...entry, range: [s.start, s.end - 1] };
}

function parsePyproject(text: string): EnvEntry[] {
  const entries: EnvEntry[] = [];
  for (const table of tomlTables(text)) {
    const body = text.slice(table.start, table.end);
    if (table.name === 'tool.pytest.ini_options') {
      const key = /^[ \t]*env[ \t]*=[ \t]*/m.exec(body);
      if (!key) continue;
      let i = table.start + key.index + key[0].length;
      if (text[i] !== '[') {
        const single = readTomlString(text, i);
        const entry = single && entryFromTomlString(single);
        if (entry) entries.push(entry);
        continue;
      }
      i++;
      for (;;) {
        i = skipSpaceAndComments(text, i);
        const item = readTomlString(text, i);
        if (!item) break;
        const entry = entryFromTomlString(item);
        if (entry) entries.push(entry);
        i = skipSpaceAndComments(text, item.end);
        if (text[i] === ',') i++;
      }
    } else if (table.name === 'tool.pytest_env') {
      for (const m of body.matchAll(/^[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(.*)$/gm)) {
        const valueAt = table.start + m.index + m[0].length - m[2]!.length;
        // `KEY = { value = "…", skip_if_set = true }`
        const inline = /^\{.*?\bvalue\s*=\s*/.exec(m[2]!);
        const s = readTomlString(text, valueAt + (inline ? inline[0].length : 0));
        if (!s) continue;
        entries.push({ name: m[1]!, value: s.value, range: s.exact ? [s.start, s.start + s.value.length] : [s.start, s.end - 1] });
      }
    }
  }
  return entries;
}
