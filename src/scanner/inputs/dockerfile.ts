import type { ScriptCommand } from '../../core/scripts/commands.js';

/** Joins an exec-form `["npx", "prisma", "migrate", "reset"]` into a command line. */
function execFormToLine(args: string): string {
  try {
    const parsed = JSON.parse(args) as unknown;
    if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) {
      // `["sh", "-c", "…"]` runs its last argument as a script.
      if (parsed.length >= 3 && /(?:^|\/)(?:ba)?sh$/.test(parsed[0] ?? '') && parsed[1] === '-c') return parsed.slice(2).join(' ');
      return parsed.join(' ');
    }
  } catch {
    // shell form that merely starts with `[`
  }
  return args;
}

/**
 * CMD and ENTRYPOINT run on every container start; RUN runs at build time, where a production
 * database is rarely reachable, so it counts as `build`.
 */
export function extractDockerfileCommands(text: string): ScriptCommand[] {
  const commands: ScriptCommand[] = [];
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const start = offset;
    let logical = lines[i]!;
    offset += lines[i]!.length + 1;
    while (/\\\s*$/.test(logical) && i + 1 < lines.length) {
      i++;
      logical = logical.replace(/\\\s*$/, ' ') + lines[i]!;
      offset += lines[i]!.length + 1;
    }
    const m = /^\s*(CMD|ENTRYPOINT|RUN)\s+(.*)$/i.exec(logical.replace(/\r$/, ''));
    if (!m) continue;
    const instruction = m[1]!.toUpperCase();
    const argsAt = start + logical.indexOf(m[2]!);
    const line = execFormToLine(m[2]!.trim());
    commands.push({ text: line, range: [argsAt, argsAt + m[2]!.trimEnd().length], phase: instruction === 'RUN' ? 'build' : 'start', via: `Dockerfile ${instruction}` });
  }
  return commands;
}

/** Scripts a Dockerfile starts: `ENTRYPOINT ["./docker-entrypoint.sh"]`, `CMD ./start.sh`. */
export function referencedScripts(commands: readonly ScriptCommand[]): string[] {
  return commands
    .filter((c) => c.phase === 'start' || c.phase === 'deploy')
    .flatMap((c) => [...c.text.matchAll(/(?:^|[\s"'=])((?:\.{0,2}\/)?[\w./-]+\.sh)\b/g)].map((m) => m[1]!));
}
