import { posix } from 'node:path';
import type { CommandPhase, ScriptCommand } from '../../core/scripts/commands.js';
import { findScriptInvocations } from '../../core/scripts/destructive-commands.js';

/**
 * npm lifecycle and convention: which scripts run against a real database on their own.
 * `dev`, `test*`, `db:reset`… are run by a developer on purpose and stay silent.
 */
export function phaseOfScript(name: string): CommandPhase {
  if (/^(?:pre|post)?(?:start|serve)(?::prod(?:uction)?)?$|^start:/.test(name)) return 'start';
  if (/^(?:pre|post)?install$|^prepare$|^(?:pre|post)?publish$/.test(name)) return 'install';
  if (/(?:^|:)(?:pre|post)?(?:deploy|release)(?::|$)|^(?:pre|post)?(?:deploy|release)/.test(name)) return 'deploy';
  if (/(?:^|:)(?:test|e2e|spec|dev|develop|watch|reset|fresh|seed|storybook|lint)(?::|$)|^(?:pre|post)?(?:test|dev)/.test(name)) return /test|e2e|spec/.test(name) ? 'test' : 'dev';
  if (/^(?:pre|post)?build/.test(name)) return 'build';
  return 'unknown';
}

const PHASE_RANK: Record<CommandPhase, number> = { start: 6, deploy: 5, install: 4, build: 3, unknown: 2, dev: 1, test: 0 };

/** Locates `"name": "value"` inside the `scripts` object, for positions in the original text. */
function locateScript(text: string, scriptsAt: number, name: string): number | undefined {
  const quoted = JSON.stringify(name);
  const valueStart = /\s*:\s*"/y;
  for (let at = text.indexOf(quoted, scriptsAt); at !== -1; at = text.indexOf(quoted, at + 1)) {
    valueStart.lastIndex = at + quoted.length;
    if (valueStart.test(text)) return valueStart.lastIndex;
  }
  return undefined;
}

/**
 * Every script with the phase it runs in. A script called by another through `npm run x` inherits
 * the more dangerous phase: `start` → `npm run db:setup` → `prisma migrate reset` runs on start.
 */
function extractScripts(text: string, json: { scripts?: unknown }): ScriptCommand[] {
  const scripts = json.scripts && typeof json.scripts === 'object' ? (json.scripts as Record<string, unknown>) : {};
  const scriptsAt = Math.max(0, text.search(/"scripts"\s*:/));
  const phases = new Map<string, { phase: CommandPhase; via?: string }>();
  for (const name of Object.keys(scripts)) phases.set(name, { phase: phaseOfScript(name) });
  const invocations = new Map(Object.entries(scripts).map(([name, value]) => [name, typeof value === 'string' ? findScriptInvocations(value) : []]));
  // Propagate phases through `npm run` chains until nothing changes (bounded by the script count).
  for (let round = 0; round < invocations.size; round++) {
    let changed = false;
    for (const [name, calls] of invocations) {
      const from = phases.get(name)!;
      for (const call of calls) {
        const target = phases.get(call.name);
        if (target && PHASE_RANK[from.phase] > PHASE_RANK[target.phase] && from.phase !== 'dev' && from.phase !== 'test') {
          phases.set(call.name, { phase: from.phase, via: `package.json "${from.via ? from.via.split('"')[1] : name}" script → npm run ${call.name}` });
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  const commands: ScriptCommand[] = [];
  for (const [name, value] of Object.entries(scripts)) {
    if (typeof value !== 'string') continue;
    const at = locateScript(text, scriptsAt, name);
    const { phase, via } = phases.get(name)!;
    // JSON escapes make offsets inside the value approximate; the start of the value is exact.
    commands.push({ text: value, range: at === undefined ? [0, 0] : [at, at + JSON.stringify(value).length - 2], phase, via: via ?? `package.json "${name}" script` });
  }
  return commands;
}

/**
 * A package.json's scripts (`extractScripts`) and its entry points (`main`, `bin`), relative to the
 * repository root: what runs on start. Parsed once; invalid JSON throws `SyntaxError`.
 */
export function readPackageJson(text: string, path: string): { commands: ScriptCommand[]; mains: string[] } {
  const json = JSON.parse(text) as { scripts?: unknown; main?: unknown; bin?: unknown };
  const dir = posix.dirname(path);
  const entries = [json.main, ...(typeof json.bin === 'string' ? [json.bin] : json.bin && typeof json.bin === 'object' ? Object.values(json.bin) : [])];
  return { commands: extractScripts(text, json), mains: entries.filter((e): e is string => typeof e === 'string').map((e) => posix.normalize(posix.join(dir, e))) };
}
