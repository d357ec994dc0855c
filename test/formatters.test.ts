import { readFileSync } from 'node:fs';
import { compileSarifSchema } from './support/sarif-schema.js';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { rules as registeredRules } from '../rules/index.js';
import { computeFingerprint, assignOccurrences } from '../src/core/fingerprint.js';
import { getDocsUrl, VERSION } from '../src/core/package-info.js';
import type { AnyRuleModule, RuleDocs } from '../src/core/types.js';
import { escapeData, escapeProperty } from '../src/formatters/github.js';
import { formatters, type FormatterContext, type ToolInfo } from '../src/formatters/index.js';
import { toSarifUri } from '../src/formatters/sarif.js';
import type { AuditResult, ReportedFinding } from '../src/scanner/result.js';

const readFixture = (path: string) => readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');

/** Fixed, so the golden files change neither on release nor when a rule is registered. */
const TOOL: ToolInfo = {
  name: 'dbguard',
  version: '1.2.3',
  informationUri: 'https://github.com/dbguard/eslint-plugin-dbguard',
  docsUrl: (ruleId) => `https://github.com/dbguard/eslint-plugin-dbguard/blob/v1.2.3/rules/${ruleId}/README.md`,
};
const RULES = new Map<string, RuleDocs>([
  ['no-auto-schema-sync', { description: 'Disallow ORM options that alter or drop the schema on every start outside tests', recommended: true }],
  ['no-destructive-schema-call', { description: 'Disallow ORM and driver calls that drop or empty tables outside tests and migrations', recommended: true }],
  ['no-destructive-script', { description: 'Disallow start, deploy and install scripts that reset, drop or delete the database', recommended: true }],
  ['no-destructive-sql', { description: 'Disallow SQL that drops tables or deletes every row where it runs against real data', recommended: true }],
  ['no-in-memory-database', { description: 'Disallow in-memory SQLite databases outside tests', recommended: true }],
  ['no-schema-in-constructor', { description: 'Disallow creating the database schema from a class constructor', recommended: true }],
]);
const context: FormatterContext = { color: false, cwd: '/home/dev/shop', tool: TOOL, rules: RULES };

const result = JSON.parse(readFixture('formatters/audit-result.json')) as AuditResult;

function format(name: string, input: AuditResult = result, ctx: FormatterContext = context): string {
  const formatter = formatters.get(name);
  if (!formatter) throw new Error(`no formatter ${name}`);
  return formatter.format(input, ctx);
}

const EMPTY: AuditResult = {
  cwd: '/home/dev/shop',
  findings: [],
  diagnostics: [],
  summary: { files: 3, errors: 0, warnings: 0, suppressed: 0, skipped: 0, durationMs: 12 },
};

function finding(overrides: Partial<ReportedFinding>): ReportedFinding {
  return {
    ruleId: 'no-destructive-schema-call',
    severity: 'error',
    file: 'src/db.ts',
    line: 3,
    column: 7,
    endLine: 3,
    endColumn: 24,
    message: '`db.dropDatabase()` drops the whole database.',
    messageId: 'destructiveCall',
    engines: ['scanner'],
    fingerprint: 'f'.repeat(64),
    sourceLine: 'await db.dropDatabase();',
    ...overrides,
  };
}

function withFindings(findings: ReportedFinding[]): AuditResult {
  return { ...EMPTY, findings };
}

const stripAnsi = (text: string) => text.replace(/\u001b\[\d+m/g, '');

describe('the fixture', () => {
  it('is consistent: summary counts and fingerprints follow from its findings', () => {
    const active = result.findings.filter((f) => !f.suppressed);
    expect(result.summary).toMatchObject({
      errors: active.filter((f) => f.severity === 'error').length,
      warnings: active.filter((f) => f.severity === 'warning').length,
      suppressed: result.findings.length - active.length,
    });
    const files = [...new Set(result.findings.map((f) => f.file))];
    for (const file of files) {
      const inFile = result.findings.filter((f) => f.file === file);
      for (const f of assignOccurrences(inFile)) expect(f.fingerprint).toBe(computeFingerprint({ ...f, file }));
    }
  });

  it('covers what the formats must escape', () => {
    expect(result.findings.some((f) => /[,:%]/.test(f.file) && f.file.includes(' '))).toBe(true);
    expect(result.findings.some((f) => f.message.includes('\n') && f.message.includes('|'))).toBe(true);
    expect(result.findings.map((f) => f.suppressed?.kind)).toEqual(expect.arrayContaining(['inline', 'baseline']));
  });
});

describe('golden files', () => {
  it('stylish', () => {
    expect(format('stylish')).toBe(readFixture('formatters/expected.stylish.txt'));
  });
  it('json', () => {
    expect(format('json')).toBe(readFixture('formatters/expected.json'));
  });
  it('sarif', () => {
    expect(format('sarif')).toBe(readFixture('formatters/expected.sarif.json'));
  });
  it('github', () => {
    expect(format('github')).toBe(readFixture('formatters/expected.github.txt'));
  });
  it('markdown', () => {
    expect(format('markdown')).toBe(readFixture('formatters/expected.md'));
  });
});

describe('registry', () => {
  it('lists every format with a description for --help', () => {
    expect([...formatters.keys()]).toEqual(['stylish', 'json', 'sarif', 'github', 'markdown']);
    for (const entry of formatters.values()) expect(entry.description).toMatch(/^[A-Z].+[^.]$/);
  });

  it('defaults to this package version, docs links and registered rules', () => {
    const log = JSON.parse(format('sarif', withFindings([finding({})]), { color: false, cwd: '/' })) as Sarif.Log;
    const driver = log.runs[0]!.tool.driver;
    expect(driver.version).toBe(VERSION);
    for (const rule of Object.values(registeredRules as Record<string, AnyRuleModule>)) {
      const descriptor = driver.rules!.find((r) => r.id === rule.meta.id);
      expect(descriptor?.shortDescription?.text).toBe(rule.meta.docs.description);
      expect(descriptor?.helpUri).toBe(getDocsUrl(rule.meta.id));
    }
    expect(format('stylish', withFindings([finding({})]), { color: false, cwd: '/' })).toContain(getDocsUrl('no-destructive-schema-call'));
  });
});

describe('empty result', () => {
  it('stylish says so', () => {
    expect(format('stylish', EMPTY)).toBe('✔ No problems found in 3 files\n');
  });
  it('json keeps the shape', () => {
    expect(format('json', EMPTY)).toBe(
      '{\n  "version": 1,\n  "findings": [],\n  "diagnostics": [],\n  "summary": {\n    "files": 3,\n    "errors": 0,\n    "warnings": 0,\n    "suppressed": 0,\n    "skipped": 0,\n    "durationMs": 12\n  }\n}\n',
    );
  });
  it('github prints nothing', () => {
    expect(format('github', EMPTY)).toBe('');
  });
  it('markdown says so', () => {
    expect(format('markdown', EMPTY)).toBe('## dbguard audit\n\n✅ No problems found in 3 files.\n');
  });
  it('sarif has an empty results array and still describes every rule', () => {
    const log = JSON.parse(format('sarif', EMPTY)) as Sarif.Log;
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.tool.driver.rules).toHaveLength(8);
    expect(log.runs[0]!.invocations).toEqual([{ executionSuccessful: true, toolExecutionNotifications: [] }]);
  });
  it('stylish counts only suppressed findings when nothing else is left', () => {
    const suppressed = finding({ suppressed: { kind: 'baseline', justification: 'listed in b.json' } });
    expect(format('stylish', withFindings([suppressed]))).toBe('✔ No problems found in 3 files, 1 suppressed\n');
    expect(format('markdown', withFindings([suppressed]))).toBe('## dbguard audit\n\n✅ No problems found in 3 files. Not shown: 1 in the baseline.\n');
  });
});

describe('stylish', () => {
  it('has no ANSI codes without color, and the same text with them', () => {
    const plain = format('stylish');
    const colored = format('stylish', result, { ...context, color: true });
    expect(plain).not.toMatch(/\u001b/);
    expect(colored).toMatch(/\u001b\[31merror/);
    expect(stripAnsi(colored)).toBe(plain);
  });

  it('keeps a CRLF (or lone CR) in sourceLine out of the code frame', () => {
    const expected = [
      'src/db.ts',
      '  3:7  error    `db.dropDatabase()` drops the whole database.  no-destructive-schema-call',
      '    3 | await db.dropDatabase();',
      '      |       ^^^^^^^^^^^^^^^^^',
      `    Docs: ${TOOL.docsUrl('no-destructive-schema-call')}`,
      '',
      '✖ 1 problem (1 error, 0 warnings)',
      '',
    ].join('\n');
    expect(format('stylish', withFindings([finding({ sourceLine: 'await db.dropDatabase();\r' })]))).toBe(expected);
    expect(format('stylish', withFindings([finding({ sourceLine: 'await db.dropDatabase();\r\nnext();' })]))).toBe(expected);
    expect(format('stylish', withFindings([finding({ sourceLine: 'await db.dropDatabase();\rnext();' })]))).toBe(expected);
  });

  it('replaces control characters from the scanned file instead of sending them to the terminal', () => {
    const output = format('stylish', withFindings([finding({ sourceLine: "await db.query('\u001b[2J');", message: 'bad \u001b[31m' })]));
    expect(output).not.toMatch(/\u001b/);
    expect(output).toContain("    3 | await db.query('\ufffd[2J');\n");
  });

  it('cuts a very long line around the finding and keeps the caret under it', () => {
    const sourceLine = `${'x'.repeat(300)}db.drop()${'y'.repeat(300)}`;
    const output = format('stylish', withFindings([finding({ sourceLine, column: 301, endColumn: 310 })]));
    const [code, marker] = output.split('\n').slice(2, 4);
    expect(code).toBe(`    3 | …${'x'.repeat(40)}db.drop()${'y'.repeat(111)}…`);
    expect(marker).toBe(`      | ${' '.repeat(41)}^^^^^^^^^`);
  });

  it('marks a finding that continues on later lines up to the end of its first line', () => {
    const output = format('stylish', withFindings([finding({ sourceLine: 'await db.dropTable(', column: 7, endLine: 5, endColumn: 2 })]));
    expect(output).toContain('    3 | await db.dropTable(\n      |       ^^^^^^^^^^^^^\n');
  });
});

describe('json', () => {
  it('uses the contract key order, with engines only when both engines saw a finding', () => {
    const report = JSON.parse(format('json')) as { findings: Record<string, unknown>[] };
    const merged = report.findings.find((f) => Array.isArray(f.engines));
    expect(Object.keys(merged!)).toEqual(['ruleId', 'severity', 'file', 'line', 'column', 'endLine', 'endColumn', 'message', 'engine', 'engines', 'fingerprint']);
    expect(merged!.engine).toBe('scanner');
    expect(report.findings.filter((f) => 'engines' in f)).toHaveLength(1);
  });

  it('does not leak the internal fields', () => {
    expect(format('json')).not.toMatch(/"(sourceLine|messageId|suggestions)"/);
  });
});

describe('sarif', () => {
  const validate = compileSarifSchema();

  it('validates against the SARIF 2.1.0 schema', () => {
    for (const input of [result, EMPTY]) {
      const log: unknown = JSON.parse(format('sarif', input));
      expect(validate(log) ? [] : validate.errors).toEqual([]);
    }
  });

  it('fails the schema when it should (the check is live)', () => {
    const log = JSON.parse(format('sarif')) as Sarif.Log;
    (log.runs[0]!.results![0] as { level: string }).level = 'fatal';
    expect(validate(log)).toBe(false);
    const unencoded = JSON.parse(format('sarif')) as Sarif.Log;
    unencoded.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri = 'a b.ts';
    expect(validate(unencoded)).toBe(false);
  });

  it('gives every region a startLine (required since the OASIS errata)', () => {
    const log = JSON.parse(format('sarif')) as Sarif.Log;
    const regions = log.runs[0]!.results!.flatMap((r) => r.locations!.map((l) => l.physicalLocation!.region!));
    expect(regions.length).toBe(result.findings.length);
    for (const region of regions) expect(region.startLine).toBeGreaterThan(0);
  });

  it('writes URIs that resolve back to the file path', () => {
    const files = ['a:b.ts', 'dir/#1?.sql', 'migrations/2024-05-01 drop,legacy:users 100%.sql', 'src/café.ts', '../outside/x.ts'];
    for (const file of files) {
      const url = new URL(toSarifUri(file), 'file:///repo/sub/');
      expect(url.protocol).toBe('file:');
      expect(url.search + url.hash).toBe('');
      expect(decodeURIComponent(url.pathname)).toBe(`/repo/sub/${file}`.replace('/sub/../', '/'));
    }
    expect(toSarifUri('src\\win\\db.ts')).toBe('src/win/db.ts');
    expect(toSarifUri('./src/db.ts')).toBe('src/db.ts');
    expect(toSarifUri('a b/100%,x:y.ts')).toBe('a%20b/100%25,x%3Ay.ts');
  });

  it('indexes and describes a rule id that is neither in RULE_IDS nor registered', () => {
    const unknown = finding({ ruleId: 'zz-future-rule' as ReportedFinding['ruleId'] });
    const log = JSON.parse(format('sarif', withFindings([unknown]))) as Sarif.Log;
    const run = log.runs[0]!;
    const index = run.results![0]!.ruleIndex!;
    expect(run.tool.driver.rules![index]).toMatchObject({ id: 'zz-future-rule', name: 'ZzFutureRule', defaultConfiguration: { level: 'error' } });
    expect(run.tool.driver.rules![index]!.shortDescription).toBeUndefined();
  });

  it('marks a rule that is off by default as not enabled', () => {
    const rules = new Map(RULES).set('no-schema-in-constructor', { description: 'Disallow x', recommended: false });
    const log = JSON.parse(format('sarif', EMPTY, { ...context, rules })) as Sarif.Log;
    const descriptor = log.runs[0]!.tool.driver.rules!.find((r) => r.id === 'no-schema-in-constructor');
    expect(descriptor!.defaultConfiguration).toEqual({ level: 'error', enabled: false });
  });

  it('omits an empty justification', () => {
    const log = JSON.parse(format('sarif', withFindings([finding({ suppressed: { kind: 'eslint-directive', justification: '' } })]))) as Sarif.Log;
    expect(log.runs[0]!.results![0]!.suppressions).toEqual([{ kind: 'inSource' }]);
  });
});

describe('github', () => {
  it('escapes data and properties like @actions/core', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(escapeProperty('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext%3A a%2Cb');
  });

  it('puts errors first, whatever the file order, and skips suppressed findings', () => {
    const output = format(
      'github',
      withFindings([
        finding({ file: 'a.ts', severity: 'warning' }),
        finding({ file: 'b.ts', line: 9 }),
        finding({ file: 'b.ts', line: 2 }),
        finding({ file: 'c.ts', suppressed: { kind: 'inline', justification: 'ok' } }),
      ]),
    );
    expect(output.split('\n').map((line) => /^::(\w+) file=([^,]+),line=(\d+)/.exec(line)?.slice(1).join(' '))).toEqual([
      'error b.ts 2',
      'error b.ts 9',
      'warning a.ts 3',
      undefined,
    ]);
  });
});

describe('markdown', () => {
  it('escapes pipes and line breaks in cells, and backticks in file names', () => {
    const output = format('markdown', withFindings([finding({ file: 'src/`odd`|name.ts', message: 'a | b\r\nc' })]));
    expect(output).toContain('| ``src/`odd`\\|name.ts:3`` | a \\| b<br>c |');
  });

  it('shows at most 100 rows and says how many more there are', () => {
    const many = Array.from({ length: 103 }, (_, index) => finding({ line: index + 1 }));
    const output = format('markdown', withFindings(many));
    expect(output.split('\n').filter((line) => line.startsWith('| ❌'))).toHaveLength(100);
    expect(output).toContain('_…and 3 more findings not shown._');
  });
});
