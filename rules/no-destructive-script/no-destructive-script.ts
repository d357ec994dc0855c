import { defineRule, type Finding, type ScriptInput, type Severity } from '../../src/core/types.js';
import type { CommandPhase } from '../../src/core/scripts/commands.js';
import { DESTRUCTIVE_COMMAND_TEXT, findDestructiveCommands, mayHoldDestructiveCommand } from '../../src/core/scripts/destructive-commands.js';

export type Options = [];
export type MessageIds = 'destructiveOnStart' | 'destructiveAtBuild';

/**
 * Start and deploy commands run against the production database without anyone watching;
 * build steps rarely reach it, so they warn. Developer (`dev`, `db:reset`) and test commands are
 * run on purpose and stay silent, and so is a command nothing is known to run.
 */
function severityOfPhase(phase: CommandPhase): Severity | undefined {
  switch (phase) {
    case 'start':
    case 'deploy':
    case 'install':
      return 'error';
    case 'build':
      return 'warning';
    default:
      return undefined;
  }
}

function detectScript(input: ScriptInput): Finding[] {
  const findings: Finding[] = [];
  for (const command of input.commands) {
    const severity = severityOfPhase(command.phase);
    if (!severity || command.guardedByEnv) continue;
    for (const hit of findDestructiveCommands(command.text)) {
      // Offsets inside JSON-escaped or folded YAML text are approximate: anchor at the command when unsure.
      const exact = input.text.slice(command.range[0] + hit.start, command.range[0] + hit.end) === hit.command;
      const range = exact ? ([command.range[0] + hit.start, command.range[0] + hit.end] as const) : command.range;
      findings.push({
        ruleId: 'no-destructive-script',
        messageId: severity === 'error' ? 'destructiveOnStart' : 'destructiveAtBuild',
        severity,
        range,
        data: { command: hit.command, effect: hit.effect, via: command.via ?? input.kind },
      });
    }
  }
  return findings;
}

export const noDestructiveScript = defineRule<Options>({
  meta: {
    id: 'no-destructive-script',
    docs: {
      description: 'Disallow start, deploy and install scripts that reset, drop or delete the database',
      recommended: true,
    },
    messages: {
      destructiveOnStart: '`{{command}}` {{effect}}, and it runs on every start or deploy ({{via}}). Run `prisma migrate deploy`/`knex migrate:latest`-style forward migrations instead, and keep resets to a developer script or a test setup.',
      destructiveAtBuild: '`{{command}}` {{effect}} at image build time ({{via}}). If the build can reach a real database this empties it; move it to a developer script.',
    } satisfies Record<MessageIds, string>,
    schema: [],
    defaultOptions: [],
    languages: ['script'],
  },
  prefilter: DESTRUCTIVE_COMMAND_TEXT,
  prefilterIn: () => mayHoldDestructiveCommand,
  detect: {
    script: (input) => detectScript(input),
  },
});
