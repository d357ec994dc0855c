/**
 * Semgrep-style expectations written in fixture files, on the line above the code they describe:
 *
 *   // ruleid: no-destructive-sql            a finding at error level starts on the next line
 *   // ruleid(warning): no-destructive-sql   … at warning level
 *   // ok: no-destructive-sql                nothing on the next line (documentation: checking is strict anyway)
 *   // todoruleid: <id>                      a known false negative: no finding yet, there should be one
 *   // todook: <id>                          a known false positive: a finding that should not be there
 *
 * Any comment syntax works (`//`, `#`, `--`, `/*`). Several ids may be separated by commas.
 */
export interface Expectation {
  line: number;
  ruleId: string;
  severity: 'error' | 'warning';
}

export interface Annotations {
  expected: Expectation[];
  /** Findings that are known to be missing (todoruleid) — their absence is asserted. */
  knownMissing: Expectation[];
  /** Findings known to be wrong (todook) — their presence is asserted, and they are not counted as false positives. */
  knownWrong: Expectation[];
}

// JSON has no comments: package.json fixtures use npm's "//" keys, e.g. `"//start": "ruleid: no-destructive-script",`.
const ANNOTATION = /(?:\/\/|#|--|\/\*|<!--|"\/\/[\w:.-]*"\s*:\s*")\s*(ruleid|todoruleid|ok|todook)(?:\((warning|error)\))?:\s*([\w\-, /]+?)\s*(?:\*\/|-->|",?)?\s*$/;

export function parseAnnotations(text: string): Annotations {
  const result: Annotations = { expected: [], knownMissing: [], knownWrong: [] };
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((lineText, index) => {
    const m = ANNOTATION.exec(lineText);
    if (!m) return;
    const [, kind, severity = 'error', ids] = m;
    // The annotated code is the next line that is not itself an annotation.
    let target = index + 1;
    while (target < lines.length && ANNOTATION.test(lines[target]!)) target++;
    for (const ruleId of ids!.split(/[\s,]+/).filter(Boolean)) {
      const expectation = { line: target + 1, ruleId: ruleId.replace(/^dbguard\//, ''), severity: severity as 'error' | 'warning' };
      if (kind === 'ruleid') result.expected.push(expectation);
      else if (kind === 'todoruleid') result.knownMissing.push(expectation);
      else if (kind === 'todook') result.knownWrong.push(expectation);
    }
  });
  return result;
}
