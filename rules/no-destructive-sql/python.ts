import type { Finding, PythonInput } from '../../src/core/types.js';

export function detectPython(_input: PythonInput): Finding[] {
  return [];
}
