import { createHash } from 'node:crypto';

/** What identifies a finding across runs: its content, never its line number. */
export interface FingerprintKey {
  ruleId: string;
  /** Relative to the project root; backslashes are read as separators. */
  file: string;
  /** The text of the line the finding starts on. */
  sourceLine: string;
  messageId: string;
  /** 0-based index among findings of the same file with the same rule, message and normalised line. */
  occurrence: number;
}

/** The parts of a finding that decide whether two findings in one file look identical. */
export type OccurrenceKey = Pick<FingerprintKey, 'ruleId' | 'sourceLine' | 'messageId'>;

/** Indentation and spacing changes (a formatter run, a wrapped block) must not churn fingerprints. */
export function normalizeSourceLine(sourceLine: string): string {
  return sourceLine.trim().replace(/\s+/g, ' ');
}

function toPosixPath(file: string): string {
  return file.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
}

/**
 * A content-based fingerprint (hex SHA-256), stable when unrelated lines are added or removed above
 * the finding: squawk's line-based GitLab fingerprints churn on every edit, which re-opens every
 * alert in code scanning. Identical lines in one file are told apart by `occurrence`, the way
 * ESLint's suppressions count findings per file and rule.
 */
export function computeFingerprint(key: FingerprintKey): string {
  // JSON keeps the fields unambiguous: no separator character can make two keys collide.
  const material = JSON.stringify([
    'dbguard/v1',
    key.ruleId,
    toPosixPath(key.file),
    normalizeSourceLine(key.sourceLine),
    key.messageId,
    key.occurrence,
  ]);
  return createHash('sha256').update(material).digest('hex');
}

/**
 * Numbers findings of ONE file that share rule, message and normalised line, in the order given
 * (source order), so the second identical `DROP TABLE users;` gets occurrence 1.
 */
export function assignOccurrences<T extends OccurrenceKey>(findings: readonly T[]): (T & { occurrence: number })[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const key = JSON.stringify([finding.ruleId, finding.messageId, normalizeSourceLine(finding.sourceLine)]);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return { ...finding, occurrence };
  });
}

/** Fingerprints for the findings of one file, in the order given. */
export function fingerprintFileFindings(file: string, findings: readonly OccurrenceKey[]): string[] {
  return assignOccurrences(findings).map((finding) =>
    computeFingerprint({
      ruleId: finding.ruleId,
      file,
      sourceLine: finding.sourceLine,
      messageId: finding.messageId,
      occurrence: finding.occurrence,
    }),
  );
}
