import type { Finding, PythonInput } from '../../src/core/types.js';
import { getPythonExecutionContext } from '../../src/core/python/context.js';
import { getPythonCodeSql } from '../../src/core/python/executed-sql.js';
import { enclosingScope, getPyModule } from '../../src/core/python/syntax.js';
import { codeFinding, getLoss, keptInUnits, rowlessTablesOf } from './no-destructive-sql.js';

/**
 * Destructive SQL that reaches `execute`, `executescript`, `executemany`, `exec_driver_sql`,
 * `text()`, Alembic `op.execute` or Django `RunSQL`, judged by where it runs. A `.sql` file read
 * and executed is reported in that file by the scanner (`executedBy`), not here.
 */
export function detectPython(input: PythonInput): Finding[] {
  const module = getPyModule(input);
  const executedSql = getPythonCodeSql(module).executed;
  const rowless = rowlessTablesOf(executedSql.flatMap((e) => e.statements));
  const kept = keptInUnits(executedSql, (e) => enclosingScope(e.node));
  return executedSql.flatMap((executed) => {
    const loss = getLoss(executed.statements, rowless, kept);
    // The SQL argument decides the context: `RunSQL(forward, reverse_sql=…)` runs its two sides at different times.
    const finding = loss && codeFinding(loss, getPythonExecutionContext(module, executed.node, input.role), [executed.node.start, executed.node.end], executed.api);
    return finding ? [finding] : [];
  });
}

