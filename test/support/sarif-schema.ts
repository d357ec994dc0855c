import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';

/**
 * The vendored SARIF 2.1.0 schema (fixtures/sarif/README.md), compiled the way
 * test/formatters.test.ts does: as draft-07, as the OASIS copy declares, with the three formats it
 * uses checked here because ajv-formats is not installed.
 */
export function compileSarifSchema(): ValidateFunction {
  const text = readFileSync(new URL('../../fixtures/sarif/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8');
  const { id: _id, $schema: _draft04, ...schema } = JSON.parse(text) as Record<string, unknown>;
  // `unicodeRegExp: false`: the 2.1.0 `language` pattern has a stray `]` that the `u` flag rejects.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  // RFC 3986: unreserved, reserved and percent-encoded characters only.
  const uriCharacters = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9A-Fa-f]{2})*$/;
  ajv.addFormat('uri-reference', (value: string) => uriCharacters.test(value));
  ajv.addFormat('uri', (value: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) && uriCharacters.test(value));
  ajv.addFormat('date-time', (value: string) => /^\d{4}-\d\d-\d\dT/.test(value) && !Number.isNaN(Date.parse(value)));
  return ajv.compile({ ...schema, $schema: 'http://json-schema.org/draft-07/schema#' });
}
