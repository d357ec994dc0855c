import type { ScriptCommand } from '../../core/scripts/commands.js';

/** `release:` runs on every deploy (Heroku and clones); every other process type runs on start. */
export function extractProcfileCommands(text: string): ScriptCommand[] {
  const commands: ScriptCommand[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const m = /^\s*([\w-]+)\s*:\s*(.+?)\s*$/.exec(line);
    if (m && !line.trimStart().startsWith('#')) {
      const at = offset + line.indexOf(m[2]!, m[1]!.length);
      commands.push({ text: m[2]!, range: [at, at + m[2]!.length], phase: m[1] === 'release' ? 'deploy' : 'start', via: `Procfile "${m[1]}"` });
    }
    offset += line.length + 1;
  }
  return commands;
}
