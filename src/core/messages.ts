/**
 * ESLint's placeholder semantics (lib/linter/interpolate.js): `{{ name }}` with optional spaces is
 * replaced when `data` has the key, left as written otherwise. Both faces render through the same
 * rules, so a message reads the same in the editor and in `dbguard audit`.
 */
export function interpolate(text: string, data: Record<string, string> | undefined): string {
  if (!data) return text;
  return text.replace(/\{\{([^{}]+?)\}\}/gu, (whole, term: string) => {
    const key = term.trim();
    return Object.hasOwn(data, key) ? String(data[key]) : whole;
  });
}
