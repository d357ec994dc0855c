import { outsideTestFiles } from '../../src/core/file-role.js';
import { ts } from '../../src/core/ts.js';
import { defineRule, type Finding, type Suggestion, type TsInput } from '../../src/core/types.js';
import { getCalleeName, getCalleeText, getFunctionName, isFunctionLike, walk, walkKinds } from '../../src/core/ts-helpers/call.js';
import { getExecutionContext } from '../../src/core/ts-helpers/execution-context.js';
import { classifyFlag, type FlagValue } from '../../src/core/ts-helpers/flag-value.js';
import { getObjectProperty, getPropertyNameText, getStaticString, resolveObjectLiteral, skipOuterExpressions } from '../../src/core/ts-helpers/static-value.js';
import { isDisposableContext } from '../../src/core/policy.js';
import { detectPython } from './python.js';

export type Options = [];
export type MessageIds = 'autoSynchronize' | 'dropSchemaOnStart' | 'alterSync' | 'envDrivenSchemaSync' | 'useFalse';

/** An object with one of these keys is a TypeORM DataSource / connection / ormconfig object. */
export const ORM_OPTION_KEYS = ['type', 'entities', 'database', 'host', 'url', 'migrations', 'autoLoadEntities', 'username', 'port'] as const;
/** `type` only says "TypeORM" when it names one of its drivers (or is not a literal): `type: 'couchdb'` does not. */
export const TYPEORM_DRIVERS = [
  'aurora-mysql', 'aurora-postgres', 'better-sqlite3', 'capacitor', 'cockroachdb', 'cordova', 'expo', 'mariadb', 'mongodb',
  'mssql', 'mysql', 'nativescript', 'oracle', 'postgres', 'react-native', 'sap', 'spanner', 'sqlite', 'sqljs',
] as const;
/** Calls whose argument is a TypeORM options object, whatever keys it has. */
export const ORM_OPTION_CALLS = ['DataSource', 'createConnection', 'createConnections', 'forRoot', 'setOptions'] as const;
/** `const options: DataSourceOptions = {...}`, `{...} satisfies TypeOrmModuleOptions`. */
const ORM_OPTIONS_TYPE = /(?:DataSource|Connection|TypeOrmModule|TypeOrm)Options$/;
/** `TypeOrmOptionsFactory.createTypeOrmOptions()`, the `useClass` form of `forRootAsync`. */
const ORM_OPTIONS_METHOD = 'createTypeOrmOptions';

const EFFECTS = {
  synchronize: 'drops the column of every renamed or removed entity property, with its data',
  dropSchema: 'drops every table with all its rows on each start',
  alter: 'drops the column of every renamed or removed model attribute, with its data',
} as const;

type Option = keyof typeof EFFECTS;

const ormOptionCalls: ReadonlySet<string> = new Set(ORM_OPTION_CALLS);

function isOrmOptionCall(node: ts.Node): node is ts.CallExpression | ts.NewExpression {
  if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) return false;
  const callee = skipOuterExpressions(node.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return name !== undefined && ormOptionCalls.has(name);
}

/** `DataSourceOptions`, also inside `Partial<…>`, `Readonly<…>` or an array type. */
function isOrmOptionsType(type: ts.TypeNode | undefined, depth = 0): boolean {
  if (!type || depth > 3) return false;
  if (ts.isArrayTypeNode(type)) return isOrmOptionsType(type.elementType, depth + 1);
  if (!ts.isTypeReferenceNode(type)) return false;
  return ORM_OPTIONS_TYPE.test(type.typeName.getText()) || (type.typeArguments ?? []).some((t) => isOrmOptionsType(t, depth + 1));
}

const ormOptionKeys: ReadonlySet<string> = new Set(ORM_OPTION_KEYS);
const typeormDrivers: ReadonlySet<string> = new Set(TYPEORM_DRIVERS);

function hasOrmKey(object: ts.ObjectLiteralExpression, depth: number): boolean {
  return object.properties.some((property) => {
    if (ts.isSpreadAssignment(property)) {
      const spread = resolveObjectLiteral(property.expression);
      return spread !== undefined && depth < 4 && hasOrmKey(spread, depth + 1);
    }
    const name = property.name && getPropertyNameText(property.name);
    if (name === 'type' && ts.isPropertyAssignment(property)) {
      const driver = getStaticString(property.initializer);
      return driver === undefined || typeormDrivers.has(driver);
    }
    return name !== undefined && ormOptionKeys.has(name);
  });
}

/** The `const` an object literal initialises, seen through casts: `const options = {...} as const`. */
function getDeclaration(object: ts.Expression): ts.VariableDeclaration | undefined {
  let node: ts.Node = object;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent))) node = node.parent;
  return node.parent && ts.isVariableDeclaration(node.parent) && node.parent.initializer === node ? node.parent : undefined;
}

function hasOrmOptionsType(object: ts.Expression): boolean {
  for (let node: ts.Node = object; node.parent; node = node.parent) {
    const parent = node.parent;
    if (ts.isAsExpression(parent) || ts.isSatisfiesExpression(parent)) {
      if (isOrmOptionsType(parent.type)) return true;
    } else if (ts.isVariableDeclaration(parent)) {
      return isOrmOptionsType(parent.type);
    } else if (!ts.isParenthesizedExpression(parent)) {
      return false;
    }
  }
  return false;
}

/** `forRootAsync({ useFactory: () => ({...}) })` or `createTypeOrmOptions() { return {...}; }`. */
function isReturnedAsOrmOptions(object: ts.Expression): boolean {
  let node: ts.Node = object;
  while (node.parent && ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  const fn = parent && ts.isArrowFunction(parent) && parent.body === node ? parent : parent && ts.isReturnStatement(parent) ? ts.findAncestor(parent, isFunctionLike) : undefined;
  if (!fn) return false;
  const name = getFunctionName(fn as ts.FunctionLikeDeclaration);
  if (name === ORM_OPTIONS_METHOD) return true;
  if (name !== 'useFactory') return false;
  // `useFactory: () => …` sits in a property assignment, `useFactory() {…}` directly in the object.
  const options = ts.isMethodDeclaration(fn) ? fn.parent : fn.parent?.parent;
  const call = options?.parent;
  return call !== undefined && ts.isCallExpression(call) && getCalleeName(call) === 'forRootAsync';
}

/** Names of `const`s passed to an ORM options call, directly or spread into its argument. */
function getOrmArgumentNames(sourceFile: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  walkKinds(sourceFile, [ts.SyntaxKind.CallExpression, ts.SyntaxKind.NewExpression], (node) => {
    if (!isOrmOptionCall(node)) return;
    for (const argument of node.arguments ?? []) {
      const expr = skipOuterExpressions(argument);
      if (ts.isIdentifier(expr)) names.add(expr.text);
      if (ts.isObjectLiteralExpression(expr)) {
        for (const property of expr.properties) {
          if (ts.isSpreadAssignment(property) && ts.isIdentifier(skipOuterExpressions(property.expression))) names.add((skipOuterExpressions(property.expression) as ts.Identifier).text);
        }
      }
    }
  });
  return names;
}

/**
 * `synchronize` is a common word (replication, state sync, file sync); only an object that looks
 * like TypeORM options, by its keys, its declared type or where it is passed, is checked.
 */
function isOrmOptions(object: ts.ObjectLiteralExpression, ormArguments: ReadonlySet<string>): boolean {
  if (hasOrmKey(object, 0) || hasOrmOptionsType(object) || isReturnedAsOrmOptions(object)) return true;
  let node: ts.Node = object;
  while (node.parent && (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent))) node = node.parent;
  if (node.parent && isOrmOptionCall(node.parent)) return true;
  const declaration = getDeclaration(object);
  return declaration !== undefined && ts.isIdentifier(declaration.name) && ormArguments.has(declaration.name.text);
}

interface Hazard {
  option: Option;
  property: ts.Node;
  value: ts.Expression;
  flag: FlagValue;
  call?: string;
}

/** Sequelize `alter: { drop: false }` adds and changes columns but never drops one. */
function classifyAlter(value: ts.Expression): FlagValue {
  const object = resolveObjectLiteral(value);
  if (!object) return classifyFlag(value);
  const drop = getObjectProperty(object, 'drop');
  return drop ? classifyFlag(drop.value) : { kind: 'on' };
}

function getSyncHazard(call: ts.CallExpression): Hazard | undefined {
  if (getCalleeName(call) !== 'sync' || !ts.isPropertyAccessExpression(skipOuterExpressions(call.expression))) return undefined;
  const options = resolveObjectLiteral(call.arguments[0]);
  const alter = options && getObjectProperty(options, 'alter');
  if (!options || !alter) return undefined;
  // `force: true` wins over `alter` and is no-destructive-schema-call's finding.
  const force = getObjectProperty(options, 'force');
  const forceKind = force && classifyFlag(force.value).kind;
  if (forceKind === 'on' || forceKind === 'configured') return undefined;
  return { option: 'alter', property: alter.node, value: alter.value, flag: classifyAlter(alter.value), call: `${getCalleeText(call)}()` };
}

function getOptionHazards(object: ts.ObjectLiteralExpression, ormArguments: ReadonlySet<string>): Hazard[] {
  const present = (['synchronize', 'dropSchema'] as const).flatMap((option) => {
    const property = getObjectProperty(object, option);
    return property ? [{ option, property: property.node, value: property.value }] : [];
  });
  if (present.length === 0 || !isOrmOptions(object, ormArguments)) return [];
  return present.map((hazard) => ({ ...hazard, flag: classifyFlag(hazard.value) }));
}

function useFalse(hazard: Hazard, sourceFile: ts.SourceFile): Suggestion[] | undefined {
  const literal = skipOuterExpressions(hazard.value);
  if (literal.kind !== ts.SyntaxKind.TrueKeyword) return undefined;
  return [{ messageId: 'useFalse', data: { option: hazard.option }, fix: { range: [literal.getStart(sourceFile), literal.getEnd()], text: 'false' } }];
}

function findingFor(hazard: Hazard, sourceFile: ts.SourceFile): Finding | undefined {
  const range = [hazard.property.getStart(sourceFile), hazard.property.getEnd()] as const;
  const base = { ruleId: 'no-auto-schema-sync' as const, range };
  if (hazard.flag.kind === 'configured') {
    const source = hazard.flag.source.startsWith('`') ? hazard.flag.source : `\`${hazard.flag.source}\``;
    return { ...base, messageId: 'envDrivenSchemaSync', severity: 'warning', data: { option: hazard.option, source, effect: EFFECTS[hazard.option] } };
  }
  if (hazard.flag.kind !== 'on') return undefined;
  const suggestions = useFalse(hazard, sourceFile);
  if (hazard.option === 'alter') return { ...base, messageId: 'alterSync', severity: 'error', data: { call: hazard.call ?? 'sync()' }, suggestions };
  return { ...base, messageId: hazard.option === 'dropSchema' ? 'dropSchemaOnStart' : 'autoSynchronize', severity: 'error', suggestions };
}

function detectTypescript(input: TsInput): Finding[] {
  const findings: Finding[] = [];
  const sourceFile = input.sourceFile;
  let ormArguments: Set<string> | undefined;
  walkKinds(sourceFile, [ts.SyntaxKind.ObjectLiteralExpression, ts.SyntaxKind.CallExpression], (node) => {
    let hazards: Hazard[] = [];
    if (ts.isObjectLiteralExpression(node)) hazards = getOptionHazards(node, (ormArguments ??= getOrmArgumentNames(sourceFile)));
    else if (ts.isCallExpression(node)) hazards = [getSyncHazard(node)].filter((h): h is Hazard => h !== undefined);
    for (const hazard of hazards) {
      // A migration or seed that builds a DataSource with these flags syncs production just the same.
      if (isDisposableContext(getExecutionContext(hazard.property, input.role))) continue;
      const finding = findingFor(hazard, sourceFile);
      if (finding) findings.push(finding);
    }
  });
  return findings;
}

export const noAutoSchemaSync = defineRule<Options>({
  meta: {
    id: 'no-auto-schema-sync',
    docs: {
      description: 'Disallow ORM options that alter or drop the schema on every start outside tests',
      recommended: true,
    },
    messages: {
      autoSynchronize: '`synchronize: true` makes TypeORM rewrite the schema to match the entities on every start: renaming or removing an entity property drops its column with all its data. Use migrations, or enable it only when NODE_ENV is "test".',
      dropSchemaOnStart: '`dropSchema: true` drops every table with all its rows each time the connection starts. Remove it from application config and keep it for tests.',
      alterSync: '`{{call}}` with `alter` enabled rewrites every table to match the models on each start: renaming or removing an attribute drops its column with all its data. Use migrations, or enable it only when NODE_ENV is "test".',
      envDrivenSchemaSync: '`{{option}}` comes from {{source}}: one wrong value in production {{effect}}. Use migrations, or enable it only when NODE_ENV is "test".',
      useFalse: 'Set `{{option}}` to `false`.',
    } satisfies Record<MessageIds, string>,
    schema: [],
    defaultOptions: [],
    hasSuggestions: true,
    languages: ['typescript', 'python'],
  },
  // `alter` as a key (`sync({ alter: true })`), not `alternative`, `alterTable` or SQL.
  prefilter: /synchronize|dropSchema|\balter\b/,
  mayReportIn: outsideTestFiles,
  // In JS/TS the flags are object keys (`synchronize: …`, shorthand `{ synchronize }`), not the
  // `synchronize?: boolean` of a type or a `this.options.synchronize` read.
  prefilterIn: (_role, language) => (language === 'typescript' ? (text) => /(?:synchronize|dropSchema)['"]?\s*[:,}]|\balter\b/.test(text) : undefined),
  detect: {
    typescript: (input) => detectTypescript(input),
    python: (input) => detectPython(input),
  },
});
