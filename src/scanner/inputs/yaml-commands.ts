import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import type { CommandPhase, ScriptCommand } from '../../core/scripts/commands.js';

export interface EnvEntry {
  name: string;
  value: string;
  range: readonly [number, number];
}

function scalarText(node: unknown): { text: string; range: [number, number] } | undefined {
  if (isScalar(node) && node.range && (typeof node.value === 'string' || typeof node.value === 'number' || typeof node.value === 'boolean')) {
    return { text: String(node.value), range: [node.range[0], node.range[1]] };
  }
  return undefined;
}

/** `command: npm start` or `command: ["npm", "start"]`. */
function commandOf(node: unknown): { text: string; range: [number, number] } | undefined {
  const scalar = scalarText(node);
  if (scalar) return scalar;
  if (isSeq(node) && node.range) {
    const parts = node.items.map((item) => scalarText(item)?.text ?? '…');
    if (parts.length >= 3 && /(?:^|\/)(?:ba)?sh$/.test(parts[0]!) && parts[1] === '-c') return { text: parts.slice(2).join(' '), range: [node.range[0], node.range[1]] };
    return { text: parts.join(' '), range: [node.range[0], node.range[1]] };
  }
  return undefined;
}

export function parseYaml(text: string) {
  const document = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false });
  const error = document.errors[0];
  if (error) throw new Error(`YAML: ${error.message.split('\n')[0]}`);
  return document;
}

/** Compose `command`/`entrypoint` (run on container start) and `environment` entries per service. */
export function extractComposeFile(text: string, path: string): { commands: ScriptCommand[]; env: EnvEntry[] } {
  const document = parseYaml(text);
  const services = document.get('services', true);
  const commands: ScriptCommand[] = [];
  const env: EnvEntry[] = [];
  // A compose file for tests or CI runs against disposable databases.
  const phase: CommandPhase = /(?:^|[./-])(?:test|tests|ci|e2e|dev)(?:[./-]|$)/i.test(path.split('/').pop() ?? '') ? 'test' : 'start';
  if (!isMap(services)) return { commands, env };
  for (const pair of services.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : 'service';
    const service = pair.value;
    if (!isMap(service)) continue;
    for (const key of ['entrypoint', 'command'] as const) {
      const command = commandOf(service.get(key, true));
      if (command) commands.push({ text: command.text, range: command.range, phase, via: `compose service "${name}" ${key}` });
    }
    const environment = service.get('environment', true) as YamlNode | undefined;
    if (isMap(environment)) {
      for (const item of environment.items) {
        const value = scalarText(item.value);
        if (isScalar(item.key) && value) env.push({ name: String(item.key.value), value: value.text, range: value.range });
      }
    } else if (isSeq(environment)) {
      for (const item of environment.items) {
        const entry = scalarText(item);
        const m = entry && /^([A-Za-z_]\w*)=(.*)$/.exec(entry.text);
        if (entry && m) env.push({ name: m[1]!, value: m[2]!, range: entry.range });
      }
    }
  }
  return { commands, env };
}

/** Names a deploy or release: of the workflow file, workflow, job, step or environment. */
const DEPLOY_NAME = /deploy|release|publish|prod/i;

/**
 * `run:` steps of a GitHub workflow. Only a deploy/release workflow touches a production database:
 * other steps are test steps, which nothing reports or follows, so a workflow that names no deploy
 * anywhere is not parsed (YAML is the slowest input to read).
 */
export function extractWorkflowCommands(text: string, path: string): ScriptCommand[] {
  const commands: ScriptCommand[] = [];
  if (!DEPLOY_NAME.test(path) && !DEPLOY_NAME.test(text)) return commands;
  const document = parseYaml(text);
  const workflowName = String(document.get('name') ?? '');
  const jobs = document.get('jobs', true);
  if (!isMap(jobs)) return commands;
  const isDeploy = (s: string) => DEPLOY_NAME.test(s);
  for (const pair of jobs.items) {
    const jobId = isScalar(pair.key) ? String(pair.key.value) : '';
    const job = pair.value;
    if (!isMap(job)) continue;
    const steps = job.get('steps', true);
    if (!isSeq(steps)) continue;
    const jobIsDeploy = isDeploy(path) || isDeploy(workflowName) || isDeploy(jobId) || isDeploy(String(job.get('name') ?? '')) || isDeploy(String(job.get('environment') ?? ''));
    for (const step of steps.items) {
      if (!isMap(step)) continue;
      const run = scalarText(step.get('run', true));
      if (!run) continue;
      const stepName = String(step.get('name') ?? '');
      const phase: CommandPhase = jobIsDeploy || isDeploy(stepName) ? 'deploy' : 'test';
      commands.push({ text: run.text, range: run.range, phase, via: `workflow job "${jobId}"${stepName ? ` step "${stepName}"` : ''}` });
    }
  }
  return commands;
}
