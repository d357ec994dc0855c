import { describeTestDatabase, formatDatabaseLocation, sameDatabase } from '../../src/core/db-location.js';
import { isTestRole } from '../../src/core/file-role.js';
import type { LocationFact, ProjectFileFacts, ProjectFinding, ProjectInput } from '../../src/core/types.js';

interface Sourced extends LocationFact {
  file: string;
}

/**
 * Where the application opens its database: a driver or ORM argument or option, a database setting,
 * in application code, `.env`, `.env.production` or compose. A name that only looks like a database
 * file (a zip entry `db.sqlite`, a constant for a file name joined to a data folder later) is not one.
 */
function productionLocations(files: Iterable<ProjectFileFacts>): Sourced[] {
  const found: Sourced[] = [];
  for (const file of files) {
    if (isTestRole(file.role) || file.role === 'migration') continue;
    for (const fact of file.locations ?? []) if (!fact.inTest && fact.opens) found.push({ ...fact, file: file.path });
  }
  return found;
}

/**
 * Without configuration: a test context (test file, test config, `.env.test`, a test-only branch)
 * that uses a location the application also uses, or that imports the module which opens the
 * application's database and never points it elsewhere. Reported at the test side.
 */
export function detectProject(input: ProjectInput): ProjectFinding[] {
  const files = [...input.files.values()];
  const production = productionLocations(files);
  const findings: ProjectFinding[] = [];
  // Only test-side sources record `setsEnv` (test files, `.env.test`, pytest `env =`), whatever their path role.
  const envSetByTests = new Set(files.flatMap((f) => f.setsEnv ?? []));

  for (const file of files) {
    const testFacts = (file.locations ?? []).filter((f) => f.inTest);
    for (const fact of testFacts) {
      const match = production.find((p) => sameDatabase(p.location, fact.location) && !(p.file === file.path && p.range[0] === fact.range[0]));
      if (!match) continue;
      findings.push({
        ruleId: 'no-test-prod-database',
        messageId: 'sameAsProduction',
        severity: 'error',
        file: file.path,
        range: fact.range,
        data: { location: fact.shown, source: `${match.file}:${match.line}`, testDatabase: describeTestDatabase(fact.location) },
      });
    }
    if (!isTestRole(file.role) || file.kind !== 'typescript' && file.kind !== 'python') continue;
    // A test file that names any database of its own, or sets one through the environment, has chosen one.
    if ((file.locations ?? []).length > 0 || (file.setsEnv ?? []).length > 0 || file.usesInMemoryDatabase) continue;
    for (const imported of file.imports ?? []) {
      if (file.mocks?.includes(imported.specifier)) continue;
      const target = input.resolveImport(file.path, imported.specifier);
      const module = target === undefined ? undefined : input.files.get(target);
      // A module with a configuration class for the tests (`TestingConfig`) gives them their own database.
      if (!module || isTestRole(module.role) || module.testConfigurationClass) continue;
      // Only what the module opens or exports as its database: a template it copies or a file it reads is not it.
      const opened = (module.locations ?? []).find((l) => l.opens && !l.inTest && (l.envFallback === undefined || (!l.envFallback.startsWith('parameter ') && !envSetByTests.has(l.envFallback))));
      if (!opened) continue;
      findings.push({
        ruleId: 'no-test-prod-database',
        messageId: 'importsProductionModule',
        severity: 'error',
        file: file.path,
        range: imported.range,
        data: {
          module: imported.specifier,
          location: formatDatabaseLocation(opened.location),
          how: opened.envFallback ? ` when \`${opened.envFallback}\` is unset, and no test setup sets it` : '',
          source: `${target}:${opened.line}`,
          testDatabase: describeTestDatabase(opened.location),
        },
      });
    }
  }
  return findings;
}
