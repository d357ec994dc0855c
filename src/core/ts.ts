// The one TypeScript the core sees. ts-morph bundles its own compiler; typescript-eslint needs the
// `typescript` package. Comparing a node from one copy with `SyntaxKind` numbers of the other can
// silently misread nodes, so every detector parses and inspects with ts-morph's copy only.
export { ts } from 'ts-morph';
