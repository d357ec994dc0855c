import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { rules } from '../../rules/index.js';
import type { AnyRuleModule, RoleGlobs, RuleId } from '../core/types.js';
import { RULE_IDS } from '../core/types.js';
import { defaultRuleSettings, type RuleSetting } from './analyze-file.js';
import { ConfigError } from './errors.js';
import { DEFAULT_MAX_FILE_SIZE } from '../core/generated-code.js';

export const CONFIG_FILE_NAME = 'dbguard.config.json';

export interface ResolvedConfig {
  /** The file the config came from, if any. */
  file?: string;
  /** Where relative globs in the config are resolved from: the config's folder. */
  baseDir?: string;
  rules: Map<RuleId, RuleSetting>;
  roles: Partial<RoleGlobs>;
  ignore: string[];
  maxFileSize: number;
  /** A stable string of everything that changes results, for the cache key. */
  hash: string;
}

const TOP_LEVEL_KEYS = new Set(['$schema', 'rules', 'testFiles', 'testConfigFiles', 'migrationFiles', 'seedFiles', 'ignore', 'productionDatabases', 'maxFileSize']);
const LEVELS: Record<string, RuleSetting['level']> = { off: 'off', warn: 'warn', error: 'error', 0: 'off', 1: 'warn', 2: 'error' };

const ajv = new Ajv({ allErrors: false, strict: false, useDefaults: false });

function describeType(value: unknown): string {
  return Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
}

function expectStringArray(file: string, key: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new ConfigError(file, key, `must be an array of strings (glob patterns), got ${describeType(value)}`);
  }
  return value as string[];
}

/** Validates and resolves a raw config object, in ESLint's `rules` shape. Throws `ConfigError` naming file and key. */
export function resolveConfig(raw: unknown, file: string): ResolvedConfig {
  const settings = defaultRuleSettings();
  const config: ResolvedConfig = { file, baseDir: dirname(file), rules: settings, roles: {}, ignore: [], maxFileSize: DEFAULT_MAX_FILE_SIZE, hash: '' };
  if (raw === undefined) return { ...config, hash: JSON.stringify(null) };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(file, '', `must be a JSON object, got ${describeType(raw)}`);
  const object = raw as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (!TOP_LEVEL_KEYS.has(key)) throw new ConfigError(file, key, `is not a dbguard option (known: ${[...TOP_LEVEL_KEYS].filter((k) => k !== '$schema').join(', ')})`);
  }
  for (const key of ['testFiles', 'testConfigFiles', 'migrationFiles', 'seedFiles'] as const) {
    if (object[key] !== undefined) config.roles[key] = expectStringArray(file, key, object[key]);
  }
  if (object.ignore !== undefined) config.ignore = expectStringArray(file, 'ignore', object.ignore);
  if (object.maxFileSize !== undefined) {
    if (typeof object.maxFileSize !== 'number' || !(object.maxFileSize > 0)) throw new ConfigError(file, 'maxFileSize', `must be a positive number of bytes, got ${JSON.stringify(object.maxFileSize)}`);
    config.maxFileSize = object.maxFileSize;
  }
  const productionDatabases = object.productionDatabases === undefined ? undefined : expectStringArray(file, 'productionDatabases', object.productionDatabases);
  if (object.rules !== undefined) {
    if (typeof object.rules !== 'object' || object.rules === null || Array.isArray(object.rules)) throw new ConfigError(file, 'rules', `must be an object of rule ids, got ${describeType(object.rules)}`);
    for (const [key, value] of Object.entries(object.rules as Record<string, unknown>)) {
      const id = key.replace(/^dbguard\//, '') as RuleId;
      const keyPath = `rules.${key}`;
      if (!RULE_IDS.includes(id)) throw new ConfigError(file, keyPath, `is not a dbguard rule (known: ${RULE_IDS.join(', ')})`);
      const rule = (rules as Record<string, AnyRuleModule>)[id];
      const [levelValue, ...options] = Array.isArray(value) ? value : [value];
      const level = LEVELS[String(levelValue)];
      if (!level) throw new ConfigError(file, keyPath, `severity must be "off", "warn" or "error" (or 0, 1, 2), got ${JSON.stringify(levelValue)}`);
      if (!rule) {
        settings.set(id, { level, options: [] });
        continue;
      }
      const schema = rule.meta.schema.length === 0 ? { type: 'array', maxItems: 0 } : { type: 'array', items: rule.meta.schema, minItems: 0, maxItems: rule.meta.schema.length };
      const validate = ajv.compile(schema);
      const optionCount = options.length;
      if (!validate(options)) {
        const error = validate.errors?.[0];
        if (error?.keyword === 'maxItems') throw new ConfigError(file, keyPath, `takes ${rule.meta.schema.length === 0 ? 'no options' : `at most ${rule.meta.schema.length} option object(s)`}, got ${optionCount}`);
        const where = error?.instancePath ? error.instancePath.replace(/^\/(\d+)/, (_, i: string) => `[${Number(i) + 1}]`).replace(/\//g, '.') : '';
        throw new ConfigError(file, `${keyPath}${where}`, `invalid option: ${error?.message ?? 'does not match the rule schema'}${error?.params && 'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : ''}`);
      }
      const defaults = rule.meta.defaultOptions as unknown[];
      const merged = defaults.map((d, i) => (typeof d === 'object' && d !== null && typeof options[i] === 'object' ? { ...d, ...(options[i] as object) } : options[i] ?? d));
      settings.set(id, { level, options: options.length > defaults.length ? options : merged });
    }
  }
  if (productionDatabases) {
    const current = settings.get('no-test-prod-database');
    if (current) {
      const first = (current.options[0] ?? {}) as { productionDatabases?: string[] };
      settings.set('no-test-prod-database', { ...current, options: [{ ...first, productionDatabases: [...(first.productionDatabases ?? []), ...productionDatabases] }] });
    }
  }
  config.hash = JSON.stringify({ rules: [...settings], roles: config.roles, ignore: config.ignore, maxFileSize: config.maxFileSize });
  return config;
}

function readJson(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, '', `is not valid JSON: ${(error as Error).message}`);
  }
}

/** `dbguard.config.json`, or `package.json#dbguard`, found upward from `start`; or the one named by `--config`. */
export function loadConfig(start: string, explicit?: string): ResolvedConfig {
  if (explicit) {
    const file = resolve(explicit);
    if (!existsSync(file)) throw new ConfigError(file, '', 'does not exist (given by --config)');
    return resolveConfig(readJson(file), file);
  }
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return resolveConfig(readJson(candidate), candidate);
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      const json = readJson(pkg) as { dbguard?: unknown };
      if (json && typeof json === 'object' && json.dbguard !== undefined) return resolveConfig(json.dbguard, `${pkg}#dbguard`);
    }
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) break;
  }
  const config = resolveConfig(undefined, '');
  return { ...config, file: undefined, baseDir: undefined };
}
