import { describe, expect, it } from 'vitest';
import { assignOccurrences, computeFingerprint, fingerprintFileFindings, normalizeSourceLine } from '../src/core/fingerprint.js';

const key = {
  ruleId: 'no-destructive-sql',
  file: 'src/db.ts',
  sourceLine: 'DROP TABLE users;',
  messageId: 'destructiveSql',
  occurrence: 0,
};

/** Findings as a scanner would report them: every line of `text` that contains `needle`, in order. */
function findingsOf(text: string, needle: string) {
  return text
    .split('\n')
    .map((sourceLine, index) => ({ line: index + 1, sourceLine, ruleId: 'no-destructive-schema-call', messageId: 'destructiveCall' }))
    .filter((finding) => finding.sourceLine.includes(needle));
}

const original = [
  "import { sequelize } from './db';",
  '',
  'export async function start() {',
  '  await sequelize.drop();',
  '  await listen();',
  '}',
].join('\n');

describe('computeFingerprint', () => {
  it('is the SHA-256 of the versioned JSON key (pinned: a change re-opens every code-scanning alert)', () => {
    // Computed independently: sha256('["dbguard/v1","no-destructive-sql","src/db.ts","DROP TABLE users;","destructiveSql",0]')
    expect(computeFingerprint(key)).toBe('2e3a2a110e54827de01392a035b9241f98c3f8b71a86d42d9ec671eb662fa554');
  });

  it('ignores indentation, spacing and a trailing CR', () => {
    const reference = computeFingerprint(key);
    expect(computeFingerprint({ ...key, sourceLine: '    DROP   TABLE\tusers;  ' })).toBe(reference);
    expect(computeFingerprint({ ...key, sourceLine: 'DROP TABLE users;\r' })).toBe(reference);
  });

  it('reads Windows separators and a leading ./ as the same POSIX path', () => {
    const reference = computeFingerprint(key);
    expect(computeFingerprint({ ...key, file: 'src\\db.ts' })).toBe(reference);
    expect(computeFingerprint({ ...key, file: './src/db.ts' })).toBe(reference);
  });

  it('changes with each part of the key', () => {
    const reference = computeFingerprint(key);
    expect(computeFingerprint({ ...key, ruleId: 'no-destructive-schema-call' })).not.toBe(reference);
    expect(computeFingerprint({ ...key, file: 'src/other.ts' })).not.toBe(reference);
    expect(computeFingerprint({ ...key, sourceLine: 'DROP TABLE orders;' })).not.toBe(reference);
    expect(computeFingerprint({ ...key, messageId: 'intendedChange' })).not.toBe(reference);
    expect(computeFingerprint({ ...key, occurrence: 1 })).not.toBe(reference);
  });

  it('cannot be made to collide by moving text between fields', () => {
    expect(computeFingerprint({ ...key, ruleId: 'a', messageId: 'b c' })).not.toBe(computeFingerprint({ ...key, ruleId: 'a b', messageId: 'c' }));
  });
});

describe('fingerprints of a file', () => {
  it('stay the same when unrelated lines are added above', () => {
    const edited = ['// Boot sequence, see docs/boot.md', "import { listen } from './http';", '', original].join('\n');
    const before = findingsOf(original, 'sequelize.drop()');
    const after = findingsOf(edited, 'sequelize.drop()');
    expect(before.map((f) => f.line)).toEqual([4]);
    expect(after.map((f) => f.line)).toEqual([7]);
    expect(fingerprintFileFindings('src/start.ts', after)).toEqual(fingerprintFileFindings('src/start.ts', before));
  });

  it('stay the same when the line is re-indented', () => {
    const reindented = original.replace('  await sequelize.drop();', '\t\tawait   sequelize.drop();');
    expect(fingerprintFileFindings('src/start.ts', findingsOf(reindented, 'sequelize.drop()'))).toEqual(
      fingerprintFileFindings('src/start.ts', findingsOf(original, 'sequelize.drop()')),
    );
  });

  it('differ for two identical lines in one file', () => {
    const twice = original.replace('  await listen();', '  await sequelize.drop();');
    const findings = findingsOf(twice, 'sequelize.drop()');
    expect(findings.map((f) => f.line)).toEqual([4, 5]);
    const [first, second] = fingerprintFileFindings('src/start.ts', findings);
    expect(first).not.toBe(second);
    // The first keeps the fingerprint it had when it was alone.
    expect(first).toBe(fingerprintFileFindings('src/start.ts', findingsOf(original, 'sequelize.drop()'))[0]);
  });
});

describe('assignOccurrences', () => {
  it('numbers findings with the same rule, message and normalised line, in order', () => {
    const finding = { ruleId: 'no-destructive-sql', messageId: 'destructiveSql', sourceLine: 'DROP TABLE users;' };
    const numbered = assignOccurrences([
      finding,
      { ...finding, sourceLine: '  DROP  TABLE users;' },
      { ...finding, messageId: 'intendedChange' },
      { ...finding, sourceLine: 'DROP TABLE orders;' },
      finding,
    ]);
    expect(numbered.map((f) => f.occurrence)).toEqual([0, 1, 0, 0, 2]);
  });

  it('keeps the other fields of each finding', () => {
    const [numbered] = assignOccurrences([{ ruleId: 'r', messageId: 'm', sourceLine: 'x', line: 9 }]);
    expect(numbered).toEqual({ ruleId: 'r', messageId: 'm', sourceLine: 'x', line: 9, occurrence: 0 });
  });
});

describe('normalizeSourceLine', () => {
  it('trims and collapses every kind of whitespace', () => {
    expect(normalizeSourceLine(' \t await  db.drop( )\r')).toBe('await db.drop( )');
  });
});
