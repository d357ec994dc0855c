import { callsImportFrom, extractImports, importBindingsOf } from '../../src/scanner/text-facts.js';

/** The relative modules the text calls into, as the whole-repo schema analysis reads them without a parse. */
export function calledImportSpecifiers(text: string): Set<string> {
  const bindings = importBindingsOf(text, extractImports(text));
  return new Set(bindings.filter((b) => b.specifier.startsWith('.') && callsImportFrom(text, bindings, b.specifier)).map((b) => b.specifier));
}
