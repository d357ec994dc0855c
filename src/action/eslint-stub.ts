// `@typescript-eslint/utils` subclasses ESLint's classes as it loads (`TSESLint.Linter extends
// eslint.Linter`, …), so bundling the plugin would drag a second ESLint into `dist/`. The plugin uses
// none of those classes; the ESLint that lints is the workspace's own, loaded at run time. The
// Action's bundle therefore resolves `eslint` and `eslint/use-at-your-own-risk` to this module.
class NotBundled {
  constructor() {
    throw new Error('ESLint is not part of the dbguard Action bundle; it is loaded from the workspace');
  }
}

export { NotBundled as ESLint, NotBundled as FlatESLint, NotBundled as LegacyESLint, NotBundled as Linter, NotBundled as RuleTester, NotBundled as SourceCode };
export default { FlatESLint: NotBundled, LegacyESLint: NotBundled };
