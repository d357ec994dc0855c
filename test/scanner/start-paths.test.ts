import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/scanner/audit.js';
import { loadConfig } from '../../src/scanner/config.js';
import { auditFiles } from '../support/audit-snippet.js';

const ENTRY_POINTS = join(import.meta.dirname, '..', '..', 'fixtures', 'repos', 'entry-points');

describe('an error says what runs it', () => {
  it('names the start path from the entry to the file, through its imports', async () => {
    const result = await audit({ paths: ['.'], cwd: ENTRY_POINTS, root: ENTRY_POINTS, config: loadConfig(ENTRY_POINTS) });
    const messages = Object.fromEntries(result.findings.map((f) => [f.file, f.message]));
    expect(messages['src/server.ts']).toMatch(/ Runs from package\.json "main" → src\/server\.ts\.$/);
    expect(messages['src/admin.ts']).toMatch(/ Runs from package\.json "main" → src\/server\.ts → src\/admin\.ts\.$/);
  });

  it('names the script that starts it, and says nothing where no start path is known', async () => {
    const drop = "export async function reset(ds: any) {\n  await ds.dropDatabase();\n}\n";
    const started = await auditFiles({ 'package.json': '{"scripts":{"start":"node dist/main.js"}}', 'src/main.ts': "import './reset.js';\n", 'src/reset.ts': drop });
    expect(started.findings.map((f) => f.message)).toEqual([expect.stringMatching(/ Runs from package\.json "start" script → src\/main\.ts → src\/reset\.ts\.$/)]);
    const unknown = await auditFiles({ 'src/reset.ts': drop });
    expect(unknown.findings.map((f) => f.message)).toEqual([expect.not.stringMatching(/Runs from/)]);
  });
});
