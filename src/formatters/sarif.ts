import type * as Sarif from 'sarif';
import { RULE_IDS, type RuleDocs } from '../core/types.js';
import type { AuditResult, Diagnostic, ReportedFinding } from '../scanner/result.js';
import { compareStrings, sortedDiagnostics, sortedFindings } from './common.js';
import { rulesOf, toolOf } from './defaults.js';
import type { FormatterContext, ToolInfo } from './types.js';

const SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const SRCROOT = '%SRCROOT%';
/** Versioned, so a future change of the fingerprint recipe shows up as a new key, not as churn. */
const FINGERPRINT_KEY = 'dbguard/v1';
const RULE_TAGS = ['data-loss', 'database'];

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `encodeURI` leaves `#` and `?` (which would start a fragment or query) and `:` (which would make
 * `a:b.ts` read as scheme `a`) as they are; in a path segment they must be percent-encoded.
 */
function encodeSegment(segment: string): string {
  return encodeURI(segment.replace(LONE_SURROGATE, '\ufffd')).replace(
    /[#?:]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** A relative URI reference for a POSIX path relative to the run's root, like knip's SARIF reporter. */
export function toSarifUri(file: string): string {
  return file.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').split('/').map(encodeSegment).join('/');
}

/** `file:` URI of the audit root, with the trailing slash SARIF requires of a base (§3.14.14). */
function rootUri(cwd: string): string | undefined {
  const posix = cwd.replace(/\\/g, '/');
  const absolute = /^[A-Za-z]:\//.test(posix) ? `/${posix}` : posix;
  if (!absolute.startsWith('/')) return undefined;
  const path = absolute
    .split('/')
    .map((segment) => (/^[A-Za-z]:$/.test(segment) ? segment : encodeSegment(segment)))
    .join('/');
  return `file://${path.endsWith('/') ? path : `${path}/`}`;
}

/** SARIF §3.49.7 wants a PascalCase identifier as the rule's `name`. */
function pascalCase(ruleId: string): string {
  return ruleId
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** Every known rule id, plus any the result or the registry carries that RULE_IDS does not (yet). */
function ruleIdsOf(result: AuditResult, ruleDocs: ReadonlyMap<string, RuleDocs>): string[] {
  const known = new Set<string>(RULE_IDS);
  const extra = new Set<string>();
  for (const id of [...ruleDocs.keys(), ...result.findings.map((f) => f.ruleId)]) if (!known.has(id)) extra.add(id);
  return [...RULE_IDS, ...[...extra].sort(compareStrings)];
}

function ruleDescriptor(ruleId: string, docs: RuleDocs | undefined, tool: ToolInfo): Sarif.ReportingDescriptor {
  const descriptor: Sarif.ReportingDescriptor = { id: ruleId, name: pascalCase(ruleId) };
  if (docs) descriptor.shortDescription = { text: docs.description };
  const url = tool.docsUrl(ruleId);
  descriptor.helpUri = url;
  // GitHub code scanning shows `help` in the rule panel of an alert.
  descriptor.help = { text: `See ${url}`, markdown: `See the [\`${ruleId}\` documentation](${url}).` };
  // Findings carry their own level; a rule reports `error` unless the context lowers it.
  descriptor.defaultConfiguration = docs && !docs.recommended ? { level: 'error', enabled: false } : { level: 'error' };
  descriptor.properties = { tags: [...RULE_TAGS] };
  return descriptor;
}

function physicalLocation(file: string, region: Sarif.Region | undefined): Sarif.PhysicalLocation {
  const location: Sarif.PhysicalLocation = { artifactLocation: { uri: toSarifUri(file), uriBaseId: SRCROOT } };
  if (region) location.region = region;
  return location;
}

function suppressionOf(finding: ReportedFinding): Sarif.Suppression[] | undefined {
  if (!finding.suppressed) return undefined;
  const suppression: Sarif.Suppression = { kind: finding.suppressed.kind === 'baseline' ? 'external' : 'inSource' };
  if (finding.suppressed.justification) suppression.justification = finding.suppressed.justification;
  return [suppression];
}

function fixesOf(finding: ReportedFinding): Sarif.Fix[] | undefined {
  if (!finding.suggestions?.length) return undefined;
  return finding.suggestions.map((suggestion) => ({
    description: { text: suggestion.message },
    artifactChanges: [
      {
        artifactLocation: { uri: toSarifUri(finding.file), uriBaseId: SRCROOT },
        replacements: [
          {
            deletedRegion: {
              startLine: suggestion.replacement.line,
              startColumn: suggestion.replacement.column,
              endLine: suggestion.replacement.endLine,
              endColumn: suggestion.replacement.endColumn,
            },
            insertedContent: { text: suggestion.replacement.text },
          },
        ],
      },
    ],
  }));
}

function resultOf(finding: ReportedFinding, ruleIndex: number): Sarif.Result {
  const result: Sarif.Result = {
    ruleId: finding.ruleId,
    ruleIndex,
    level: finding.severity,
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: physicalLocation(finding.file, {
          startLine: finding.line,
          startColumn: finding.column,
          endLine: finding.endLine,
          endColumn: finding.endColumn,
        }),
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
  };
  const fixes = fixesOf(finding);
  if (fixes) result.fixes = fixes;
  const suppressions = suppressionOf(finding);
  if (suppressions) result.suppressions = suppressions;
  return result;
}

function notificationOf(diagnostic: Diagnostic): Sarif.Notification {
  const region: Sarif.Region | undefined =
    diagnostic.line === undefined
      ? undefined
      : diagnostic.column === undefined
        ? { startLine: diagnostic.line }
        : { startLine: diagnostic.line, startColumn: diagnostic.column };
  return {
    level: diagnostic.severity,
    message: { text: diagnostic.message },
    locations: [{ physicalLocation: physicalLocation(diagnostic.file, region) }],
    descriptor: { id: diagnostic.kind },
  };
}

/**
 * SARIF 2.1.0 for GitHub code scanning and SARIF viewers: one run, every rule described (with
 * `helpUri`), suppressed findings kept with their `suppressions`, diagnostics as tool notifications.
 */
export function formatSarif(result: AuditResult, context: FormatterContext): string {
  const tool = toolOf(context);
  const ruleDocs = rulesOf(context);
  const ruleIds = ruleIdsOf(result, ruleDocs);
  const rules = ruleIds.map((id) => ruleDescriptor(id, ruleDocs.get(id), tool));
  const root = rootUri(result.cwd);
  const run: Sarif.Run = {
    tool: {
      driver: {
        name: tool.name,
        version: tool.version,
        informationUri: tool.informationUri,
        rules,
      },
    },
    ...(root ? { originalUriBaseIds: { [SRCROOT]: { uri: root } } } : {}),
    // Our columns count UTF-16 code units, like ESLint's; SARIF's default is Unicode code points.
    columnKind: 'utf16CodeUnits',
    results: sortedFindings(result).map((finding) => resultOf(finding, ruleIds.indexOf(finding.ruleId))),
    invocations: [{ executionSuccessful: true, toolExecutionNotifications: sortedDiagnostics(result).map(notificationOf) }],
  };
  const log: Sarif.Log = { $schema: SCHEMA_URI, version: '2.1.0', runs: [run] };
  return `${JSON.stringify(log, null, 2)}\n`;
}
