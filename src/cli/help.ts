import type { AnyRuleModule } from '../core/types.js';

export function mainHelp(version: string): string {
  return `dbguard ${version}: find the code that destroys its own database, before it runs.

Usage:
  dbguard audit [paths...] [options]   audit files and folders (default: .)
  dbguard rules [--format json]        list the rules, with docs links
  dbguard help [audit|rules]           show help for a command
  dbguard --version

Examples:
  dbguard audit                                   audit the current repository
  dbguard audit services/api --format json        machine-readable findings
  dbguard audit --changed-since origin/main       only findings on lines this branch changed
  dbguard audit --baseline dbguard-baseline.json  adopt on a legacy repo: hide known findings

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage, config or internal error.
Run "dbguard audit --help" for every option.`;
}

export function auditHelp(formats: readonly { name: string; description: string }[]): string {
  const formatLines = formats.map((f) => `                          ${f.name.padEnd(9)} ${f.description}`).join('\n');
  return `Usage: dbguard audit [paths...] [options]

Reads JS/TS, Python and SQL files, package.json scripts, Dockerfiles, compose files, Procfiles,
GitHub workflows, entrypoint scripts and .env files under each path (default: .), and reports code
that drops, truncates or resets a database where it runs unattended, tests that use the production
database, and schema setup that runs twice. .gitignore is honoured; node_modules, .git, dist, build,
coverage, .next, out, virtualenvs, *.d.ts and minified files are always skipped.

Output:
  -f, --format <name>     output format (default: stylish):
${formatLines}
  -o, --output-file <f>   write the report to a file instead of stdout
  -q, --quiet             report errors only (hide warnings and diagnostics)
      --verbose           also list skipped files (binary, too large, minified, symlinks)
      --color, --no-color force or disable colors (default: on when stdout is a TTY)
      --no-progress       no progress line on stderr (shown on a TTY for long runs)

Which findings fail the run:
      --fail-on <level>   error (default), warning, or never

Configuration:
  -c, --config <file>     config file (default: dbguard.config.json or package.json#dbguard,
                          searched upward from the first path)
      --root <dir>        folder that role globs (testFiles, migrationFiles…) are relative to
                          (default: the config's folder, else the nearest package.json/pyproject.toml/.git)
      --ignore <glob>     skip matching files; repeatable (e.g. --ignore "scripts/**")
      --max-file-size <n> skip files larger than this (default 512kb; accepts kb, mb)

Adopting on an existing codebase:
      --baseline <file>       hide findings counted in this file (per file and rule, ESLint's
                              bulk-suppressions format); stale entries are reported
      --update-baseline       write the current findings to --baseline <file> and exit 0
      --changed-since <ref>   report only findings on lines added or changed since the
                              merge-base with <ref> (the whole repo is still analysed)

Speed:
      --cache                 reuse results of unchanged files (content hash)
      --cache-location <dir>  where to keep it (default: node_modules/.cache/dbguard)

Suppressing one finding (the reason is required):
  // dbguard-ignore-next-line no-destructive-sql -- runs only against the CI database
  # dbguard-ignore-file no-in-memory-database -- this module is the test harness
  ESLint's "// eslint-disable-next-line dbguard/<rule-id>" is honoured in JS/TS too.

Examples:
  dbguard audit
  dbguard audit . --format sarif -o dbguard.sarif
  dbguard audit --format github --fail-on warning
  dbguard audit apps/api --ignore "apps/api/scripts/**"
  dbguard audit --baseline dbguard-baseline.json --update-baseline

Exit codes:
  0  nothing at or above --fail-on
  1  at least one finding at or above --fail-on
  2  usage error, config error (the message names the file and key), or internal error

Environment:
  TIMING=1    print how long each phase took (discovery, reading, parsing…) to stderr, as ESLint's does
  NO_COLOR=1  no colours in stylish output`;
}

export function rulesHelp(): string {
  return `Usage: dbguard rules [--format text|json]

Lists every rule with its one-line description, whether it is in "recommended", which inputs it
reads, and the link to its documentation.`;
}

export function formatRulesList(rules: readonly AnyRuleModule[], docsUrl: (id: string) => string, format: 'text' | 'json'): string {
  if (format === 'json') {
    return `${JSON.stringify(rules.map((r) => ({ id: r.meta.id, description: r.meta.docs.description, recommended: r.meta.docs.recommended, languages: r.meta.languages, docs: docsUrl(r.meta.id) })), null, 2)}\n`;
  }
  const width = Math.max(...rules.map((r) => r.meta.id.length));
  return `${rules
    .map((r) => `${r.meta.id.padEnd(width)}  ${r.meta.docs.recommended ? '✔' : ' '}  ${r.meta.docs.description}\n${' '.repeat(width + 5)}${r.meta.languages.join(', ')} · ${docsUrl(r.meta.id)}`)
    .join('\n')}\n\n✔ in the recommended config\n`;
}
