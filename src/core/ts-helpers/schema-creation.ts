import { ts } from '../ts.js';
import type { FileRole, Range } from '../types.js';
import { isDisposableContext } from '../policy.js';
import { describeStatement } from '../sql/classify.js';
import { SQL_HOLE } from '../sql/lexer.js';
import { getCalleeName, getCalleeObject, getCalleeText, getReceiverName, isFunctionLike } from './call.js';
import { getExecutionContext } from './execution-context.js';
import { getCodeSql } from './executed-sql.js';
import { getPropertyNameText, getStaticString, resolveObjectLiteral, skipOuterExpressions } from './static-value.js';

/** A call that creates tables: executed DDL, an executed `.sql` file, an ORM sync or a migration runner. */
export interface SchemaCreationSite {
  /** The API as written, without a leading `this.`: `db.exec`, `dataSource.runMigrations`, `knex.migrate.latest`. */
  api: string;
  /** Completes "constructing X …": `runs CREATE TABLE cards`, `runs pending migrations`. */
  effect: string;
  range: Range;
}

export type CallTarget =
  /** A function or method of the same file, by `FunctionSummary.id`. */
  | { kind: 'local'; id: string }
  /** `name` is the exported name (`default` for a default import, the member for `ns.f()`). */
  | { kind: 'imported'; module: string; name: string };

export interface CallEdge {
  target: CallTarget;
  /** How the path names this step: `initializeSchema`, `#migrate`, `initDb`, `db.setup`. */
  name: string;
  /** `new C()` runs C's constructor; constructors are reported on their own, so callers rarely follow these. */
  via: 'call' | 'new';
  range: Range;
}

export interface SchemaPath {
  /** Names from the callee to the creating call: `['initializeSchema', 'db.exec']`. */
  steps: string[];
  site: SchemaCreationSite;
}

export interface FunctionSummary {
  /** Unique in the file: `initDb`, `CardStore.constructor`, `CardStore.#migrate`, `start/setup` (nested). */
  id: string;
  /** `initDb`, `constructor`, `#migrate`. */
  name: string;
  kind: 'function' | 'method' | 'constructor';
  className?: string;
  /** Names other files import it by (`default` included); for a constructor, the class's export names. */
  exportedAs: readonly string[];
  /** The declaration, for reporting. */
  range: Range;
  /** Schema creation in the body itself (callbacks that run later, like event handlers, excluded). */
  sites: readonly SchemaCreationSite[];
  /** Calls this function makes that a summary can follow, in source order. */
  calls: readonly CallEdge[];
  /** The imported names among `calls`: what a whole-repo analysis must resolve in other files. */
  importedCalls: readonly { module: string; name: string; via: 'call' | 'new' }[];
  /** The first way it creates schema, following same-file calls only. */
  createsSchema?: SchemaPath;
}

export interface FileSchemaSummary {
  functions: readonly FunctionSummary[];
  /**
   * Only the constructors and the same-file functions they call: what a file's own constructors
   * need. A whole-repo analysis that reaches another function of the file summarises it fully.
   */
  constructionOnly?: true;
}

/** `all` functions of a file, or only what its constructors run (`construction`). */
export type SummaryScope = 'all' | 'construction';

/**
 * Functions keyed by any string (a whole-repo analysis uses `file#id`) and a way to follow an edge.
 * `findSchemaPath` needs nothing else, so the same search runs on one file or on a repository.
 */
export interface SchemaGraph {
  get(key: string): FunctionSummary | undefined;
  /** The key an edge leads to, or `undefined` when it cannot or should not be followed. */
  resolve(fromKey: string, edge: CallEdge): string | undefined;
}

type Unit = {
  id: string;
  name: string;
  kind: FunctionSummary['kind'];
  node: ts.Node;
  /** What runs when the unit is called: a body, or instance field initializers for a constructor. */
  roots: ts.Node[];
  cls?: ts.ClassLikeDeclaration;
  exportedAs: string[];
};

/** Callbacks that run once, soon, whenever the surrounding code runs: following them is as good as inlining. */
const RUN_NOW_MEMBERS = new Set(['then', 'catch', 'finally', 'forEach', 'map', 'flatMap', 'filter', 'reduce', 'some', 'every', 'find', 'findIndex', 'nextTick']);
const RUN_NOW_FUNCTIONS = new Set(['queueMicrotask', 'setImmediate', 'setTimeout']);
/**
 * `.sync()` is everywhere (`glob.sync`, `execa.sync`, a replica's `peer.sync()`); Sequelize's is called
 * on the instance or a model: `sequelize`, `db`, `this.models.User`, `getSequelize()`.
 */
const SYNC_RECEIVER = /[Ss]equelize|^db$|[Dd]atabase|^orm$|[Cc]onnection|[Mm]odels?$|^[A-Z][A-Za-z0-9]*$/;
const NON_DB_SYNC_RECEIVER = /^(?:glob|fg|fastGlob|globby|mkdirp|makeDir|rimraf|del|execa|spawn|crossSpawn|resolve|which|findUp|readPkg|readPkgUp|tmp|fs|fse|cpy|git|simpleGit)$/i;

function rangeOf(node: ts.Node): Range {
  return [node.getStart(), node.getEnd()];
}

function withoutThis(text: string): string {
  return text.replace(/^this\./, '');
}

function isClassMemberFunction(node: ts.Node): node is ts.MethodDeclaration | ts.PropertyDeclaration {
  if (ts.isMethodDeclaration(node)) return node.body !== undefined;
  return ts.isPropertyDeclaration(node) && node.initializer !== undefined && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer));
}

function isInstanceFieldInitializer(node: ts.ClassElement): node is ts.PropertyDeclaration & { initializer: ts.Expression } {
  return ts.isPropertyDeclaration(node) && node.initializer !== undefined && !isClassMemberFunction(node) && !(ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Static);
}

function memberName(node: ts.ClassElement): string | undefined {
  return node.name ? getPropertyNameText(node.name) : undefined;
}

function functionBody(node: ts.Node): ts.Node | undefined {
  // `const write = ((chunk) => { … }) as Writer`: the function inside parentheses and `as`.
  if (ts.isPropertyDeclaration(node) || ts.isVariableDeclaration(node)) return node.initializer && functionBody(skipOuterExpressions(node.initializer));
  return isFunctionLike(node) ? node.body : undefined;
}

function isFunctionInitializer(node: ts.Expression | undefined): boolean {
  const expr = node && skipOuterExpressions(node);
  return expr !== undefined && (ts.isArrowFunction(expr) || ts.isFunctionExpression(expr));
}

function className(cls: ts.ClassLikeDeclaration): string {
  if (cls.name) return cls.name.text;
  const parent = cls.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return '(anonymous class)';
}

/** A nested function that runs as part of its caller: an IIFE, a promise continuation, an array callback. */
function runsWithCaller(fn: ts.Node): boolean {
  let outer: ts.Node = fn;
  while (ts.isParenthesizedExpression(outer.parent)) outer = outer.parent;
  const parent = outer.parent;
  if (ts.isCallExpression(parent) && parent.expression === outer) return true;
  if (ts.isNewExpression(parent) && parent.arguments?.includes(outer as ts.Expression)) {
    // `new Promise((resolve) => …)` runs its executor synchronously.
    return ts.isIdentifier(parent.expression) && parent.expression.text === 'Promise';
  }
  if (!ts.isCallExpression(parent) || !parent.arguments.includes(outer as ts.Expression)) return false;
  const name = getCalleeName(parent);
  if (!name) return false;
  return getCalleeObject(parent) !== undefined ? RUN_NOW_MEMBERS.has(name) || RUN_NOW_FUNCTIONS.has(name) : RUN_NOW_FUNCTIONS.has(name);
}

function getOrmSite(call: ts.CallExpression): Omit<SchemaCreationSite, 'range'> | undefined {
  const name = getCalleeName(call);
  if (!name || getCalleeObject(call) === undefined) return undefined;
  const api = withoutThis(getCalleeText(call));
  const receiver = getReceiverName(call) ?? '';
  switch (name) {
    case 'sync': {
      // Sequelize takes nothing or an options object; `glob.sync('*.ts')` and friends take a string.
      const first = call.arguments[0];
      if (!SYNC_RECEIVER.test(receiver) || NON_DB_SYNC_RECEIVER.test(receiver) || (first && !resolveObjectLiteral(first))) return undefined;
      return { api, effect: 'creates every missing table' };
    }
    case 'synchronize':
      return receiver === 'this' ? undefined : { api, effect: 'creates the schema from the entities' };
    case 'runMigrations':
      return { api, effect: 'runs pending migrations' };
    case 'latest':
      return /(?:^|\.)migrate$/.test(api.slice(0, -'.latest'.length)) ? { api, effect: 'runs pending migrations' } : undefined;
    case 'up':
      return /umzug/i.test(receiver) ? { api, effect: 'runs pending migrations' } : undefined;
    case 'migrateToLatest':
      return { api, effect: 'runs pending migrations' };
    case 'createTable':
    case 'createTableIfNotExists': {
      if (!/(?:^|\.)schema$/.test(api.slice(0, -name.length - 1))) return undefined;
      const table = call.arguments[0] && getStaticString(call.arguments[0]);
      return { api, effect: table ? `creates table ${table}` : 'creates a table' };
    }
    default:
      return undefined;
  }
}

/** Executed DDL and executed schema files, by the call that runs them. */
function getSqlSites(sourceFile: ts.SourceFile): Map<ts.Node, Omit<SchemaCreationSite, 'range'>> {
  const sites = new Map<ts.Node, Omit<SchemaCreationSite, 'range'>>();
  const code = getCodeSql(sourceFile);
  for (const executed of code.executed) {
    const creates = executed.statements.filter((s) => s.kind === 'createTable' || s.kind === 'createIndex');
    if (creates.length === 0) continue;
    const more = creates.length > 1 ? ` and ${creates.length - 1} more` : '';
    sites.set(executed.site, { api: withoutThis(executed.api), effect: `runs ${describeStatement(creates[0]!)}${more}` });
  }
  for (const file of code.schemaFiles) {
    sites.set(file.site, { api: withoutThis(file.api), effect: `runs the schema file ${file.path.replaceAll(SQL_HOLE, '…')}` });
  }
  return sites;
}

interface ImportBinding {
  module: string;
  /** Exported name, `default`, or `*` for a namespace (`import * as ns`, `const ns = require(…)`). */
  name: string;
}

function getImportBindings(sourceFile: ts.SourceFile): Map<string, ImportBinding> {
  const bindings = new Map<string, ImportBinding>();
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier) && statement.importClause) {
      const module = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause.name) bindings.set(clause.name.text, { module, name: 'default' });
      const named = clause.namedBindings;
      if (named && ts.isNamespaceImport(named)) bindings.set(named.name.text, { module, name: '*' });
      if (named && ts.isNamedImports(named)) {
        for (const element of named.elements) bindings.set(element.name.text, { module, name: (element.propertyName ?? element.name).text });
      }
    }
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const init = declaration.initializer && skipOuterExpressions(declaration.initializer);
        if (!init || !ts.isCallExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== 'require') continue;
        const module = init.arguments[0] && getStaticString(init.arguments[0]);
        if (!module) continue;
        if (ts.isIdentifier(declaration.name)) bindings.set(declaration.name.text, { module, name: '*' });
        else if (ts.isObjectBindingPattern(declaration.name)) {
          for (const element of declaration.name.elements) {
            if (!ts.isIdentifier(element.name)) continue;
            const imported = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
            bindings.set(element.name.text, { module, name: imported });
          }
        }
      }
    }
  }
  return bindings;
}

function hasExportModifier(node: ts.Node): { exported: boolean; isDefault: boolean } {
  const flags = ts.canHaveModifiers(node) ? ts.getCombinedModifierFlags(node as ts.Declaration) : 0;
  return { exported: (flags & ts.ModifierFlags.Export) !== 0, isDefault: (flags & ts.ModifierFlags.Default) !== 0 };
}

/** Export names of top-level declarations, by local name: `export function f`, `export { f as g }`, `export default f`. */
function getExportNames(sourceFile: ts.SourceFile): Map<string, string[]> {
  const names = new Map<string, string[]>();
  const add = (local: string, exported: string) => names.set(local, [...(names.get(local) ?? []), exported]);
  for (const statement of sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) {
      const { exported, isDefault } = hasExportModifier(statement);
      if (exported && statement.name) add(statement.name.text, isDefault ? 'default' : statement.name.text);
      // `export default function () {}` has no local name; it is registered under `default` itself.
      if (exported && isDefault && !statement.name) add('default', 'default');
    } else if (ts.isVariableStatement(statement) && hasExportModifier(statement).exported) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) add(declaration.name.text, declaration.name.text);
      }
    } else if (ts.isExportDeclaration(statement) && !statement.moduleSpecifier && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) add((element.propertyName ?? element.name).text, element.name.text);
    } else if (ts.isExportAssignment(statement) && !statement.isExportEquals && ts.isIdentifier(statement.expression)) {
      add(statement.expression.text, 'default');
    }
  }
  return names;
}

class SummaryBuilder {
  private readonly units = new Map<ts.Node, Unit>();
  private readonly usedIds = new Set<string>();
  private readonly classUnits = new Map<ts.ClassLikeDeclaration, Map<string, Unit>>();
  private readonly classesByName = new Map<string, ts.ClassLikeDeclaration | null>();
  private readonly sqlSites: Map<ts.Node, Omit<SchemaCreationSite, 'range'>>;
  private readonly imports: Map<string, ImportBinding>;
  private readonly exportNames: Map<string, string[]>;

  constructor(
    private readonly sourceFile: ts.SourceFile,
    private readonly role: FileRole,
  ) {
    this.sqlSites = getSqlSites(sourceFile);
    this.imports = getImportBindings(sourceFile);
    this.exportNames = getExportNames(sourceFile);
  }

  build(scope: SummaryScope): FileSchemaSummary {
    this.collectUnits(this.sourceFile, undefined);
    const units = [...this.units.values()];
    const functions = scope === 'all' ? units.map((unit) => this.summarize(unit)) : this.summarizeConstruction(units);
    const graph = createFileSchemaGraph({ functions });
    const memo = new Map<string, SchemaPath | undefined>();
    for (const summary of functions) {
      const path = findSchemaPath(graph, summary.id, memo);
      if (path) summary.createsSchema = path;
    }
    return scope === 'all' ? { functions } : { functions, constructionOnly: true };
  }

  /** Constructors first, then each same-file function they call, in source order: a large class's other methods are never visited. */
  private summarizeConstruction(units: readonly Unit[]): FunctionSummary[] {
    const byId = new Map(units.map((unit) => [unit.id, unit]));
    const done = new Map<Unit, FunctionSummary>();
    const pending = units.filter((unit) => unit.kind === 'constructor');
    while (pending.length > 0) {
      const unit = pending.pop()!;
      if (done.has(unit)) continue;
      const summary = this.summarize(unit);
      done.set(unit, summary);
      for (const edge of summary.calls) {
        const callee = edge.via === 'call' && edge.target.kind === 'local' ? byId.get(edge.target.id) : undefined;
        if (callee && !done.has(callee)) pending.push(callee);
      }
    }
    return units.flatMap((unit) => done.get(unit) ?? []);
  }

  private uniqueId(base: string, node: ts.Node): string {
    const id = this.usedIds.has(base) ? `${base}@${node.getStart()}` : base;
    this.usedIds.add(id);
    return id;
  }

  private addUnit(unit: Omit<Unit, 'id'> & { id: string }): Unit {
    const full = { ...unit, id: this.uniqueId(unit.id, unit.node) };
    this.units.set(unit.node, full);
    return full;
  }

  /** Registers every named function and every class member; `owner` prefixes the ids of nested functions. */
  private collectUnits(node: ts.Node, owner: Unit | undefined): void {
    if (ts.isClassLike(node)) {
      this.collectClass(node);
      return;
    }
    let next = owner;
    const topLevel = node.parent !== undefined && ts.isSourceFile(node.parent);
    const isTopLevelVariable = ts.isVariableDeclaration(node) && ts.isVariableStatement(node.parent.parent) && ts.isSourceFile(node.parent.parent.parent);
    if (ts.isFunctionDeclaration(node) && node.body) {
      const name = node.name?.text ?? 'default';
      const exportedAs = topLevel ? (this.exportNames.get(name) ?? []) : [];
      next = this.addUnit({ id: owner ? `${owner.id}/${name}` : name, name, kind: 'function', node, roots: [node.body], cls: owner?.cls, exportedAs });
    } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && isFunctionInitializer(node.initializer)) {
      const name = node.name.text;
      const exportedAs = isTopLevelVariable ? (this.exportNames.get(name) ?? []) : [];
      // An arrow function inside a method sees the method's `this`.
      next = this.addUnit({ id: owner ? `${owner.id}/${name}` : name, name, kind: 'function', node, roots: [functionBody(node)!], cls: owner?.cls, exportedAs });
    }
    ts.forEachChild(node, (child) => this.collectUnits(child, next));
  }

  private collectClass(cls: ts.ClassLikeDeclaration): void {
    const name = className(cls);
    const prefix = this.uniqueId(name, cls);
    if (ts.isClassDeclaration(cls) && cls.name) this.classesByName.set(name, this.classesByName.has(name) ? null : cls);
    const members = new Map<string, Unit>();
    this.classUnits.set(cls, members);
    const topLevel = ts.isSourceFile(cls.parent) || (ts.isVariableDeclaration(cls.parent) && ts.isSourceFile(cls.parent.parent.parent.parent));
    const exportedAs = topLevel ? (this.exportNames.get(cls.name ? cls.name.text : ts.isClassDeclaration(cls) ? 'default' : name) ?? []) : [];
    const fieldInitializers = cls.members.filter(isInstanceFieldInitializer).map((m) => m.initializer);
    const constructorNode = cls.members.find((m) => ts.isConstructorDeclaration(m) && m.body);
    for (const member of cls.members) {
      if (ts.isConstructorDeclaration(member) && member.body) {
        // Field initializers run as part of construction, right before the constructor body.
        members.set('constructor', this.addUnit({ id: `${prefix}.constructor`, name: 'constructor', kind: 'constructor', node: member, roots: [...fieldInitializers, member.body], cls, exportedAs }));
      } else if (isClassMemberFunction(member)) {
        const memberText = memberName(member);
        const body = functionBody(member);
        if (memberText === undefined || !body) continue;
        members.set(memberText, this.addUnit({ id: `${prefix}.${memberText}`, name: memberText, kind: 'method', node: member, roots: [body], cls, exportedAs: [] }));
      }
    }
    if (!constructorNode && fieldInitializers.length > 0) {
      members.set('constructor', this.addUnit({ id: `${prefix}.constructor`, name: 'constructor', kind: 'constructor', node: cls, roots: fieldInitializers, cls, exportedAs }));
    }
    // Nested functions and classes inside members get their own units.
    for (const member of cls.members) {
      const owner = members.get(ts.isConstructorDeclaration(member) ? 'constructor' : (memberName(member) ?? ''));
      ts.forEachChild(member, (child) => this.collectUnits(child, owner));
    }
  }

  private baseClass(cls: ts.ClassLikeDeclaration): ts.ClassLikeDeclaration | undefined {
    const extendsClause = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
    const expression = extendsClause?.types[0]?.expression;
    return expression && ts.isIdentifier(expression) ? (this.classesByName.get(expression.text) ?? undefined) : undefined;
  }

  private findMethod(cls: ts.ClassLikeDeclaration | undefined, name: string): Unit | undefined {
    for (let current = cls, depth = 0; current && depth < 10; current = this.baseClass(current), depth++) {
      const unit = this.classUnits.get(current)?.get(name);
      if (unit && unit.kind !== 'constructor') return unit;
    }
    return undefined;
  }

  /** The nearest function named `name` declared in a block around `from`. */
  private findFunction(from: ts.Node, name: string): Unit | undefined {
    for (let scope: ts.Node | undefined = from.parent; scope; scope = scope.parent) {
      if (!(ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope) || ts.isCaseClause(scope))) continue;
      for (const statement of scope.statements) {
        if (ts.isFunctionDeclaration(statement) && statement.name?.text === name) return this.units.get(statement);
        if (ts.isVariableStatement(statement)) {
          const declaration = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === name);
          if (declaration) return this.units.get(declaration);
        }
      }
    }
    return undefined;
  }

  private findClass(name: string): ts.ClassLikeDeclaration | undefined {
    return this.classesByName.get(name) ?? undefined;
  }

  private getEdge(node: ts.CallExpression | ts.NewExpression, unit: Unit): Omit<CallEdge, 'range'> | undefined {
    const callee = skipOuterExpressions(node.expression);
    if (ts.isNewExpression(node)) {
      if (!ts.isIdentifier(callee)) return undefined;
      const cls = this.findClass(callee.text);
      const ctor = cls && this.classUnits.get(cls)?.get('constructor');
      if (ctor) return { target: { kind: 'local', id: ctor.id }, name: `new ${callee.text}`, via: 'new' };
      const binding = this.imports.get(callee.text);
      return binding && binding.name !== '*' ? { target: { kind: 'imported', ...binding }, name: `new ${callee.text}`, via: 'new' } : undefined;
    }
    if (ts.isPropertyAccessExpression(callee) && (callee.expression.kind === ts.SyntaxKind.ThisKeyword || callee.expression.kind === ts.SyntaxKind.SuperKeyword)) {
      const method = this.findMethod(unit.cls && (callee.expression.kind === ts.SyntaxKind.SuperKeyword ? this.baseClass(unit.cls) : unit.cls), callee.name.text);
      return method ? { target: { kind: 'local', id: method.id }, name: method.name, via: 'call' } : undefined;
    }
    if (ts.isIdentifier(callee)) {
      const local = this.findFunction(node, callee.text);
      if (local) return { target: { kind: 'local', id: local.id }, name: local.name, via: 'call' };
      const binding = this.imports.get(callee.text);
      if (binding) return { target: { kind: 'imported', module: binding.module, name: binding.name === '*' ? 'default' : binding.name }, name: callee.text, via: 'call' };
      return undefined;
    }
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
      const binding = this.imports.get(callee.expression.text);
      if (binding?.name === '*') return { target: { kind: 'imported', module: binding.module, name: callee.name.text }, name: `${callee.expression.text}.${callee.name.text}`, via: 'call' };
    }
    return undefined;
  }

  private isDisposable(node: ts.Node): boolean {
    return isDisposableContext(getExecutionContext(node, this.role));
  }

  private summarize(unit: Unit): FunctionSummary {
    const sites: SchemaCreationSite[] = [];
    const calls: CallEdge[] = [];
    const visit = (node: ts.Node): void => {
      if ((isFunctionLike(node) || ts.isClassLike(node)) && !unit.roots.includes(node)) {
        if (ts.isClassLike(node) || this.units.has(node.parent) || this.units.has(node) || !runsWithCaller(node)) return;
      }
      if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isTaggedTemplateExpression(node)) {
        const found = this.classify(node, unit);
        if (found && !this.isDisposable(node)) {
          if ('target' in found) calls.push({ ...found, range: rangeOf(node) });
          else sites.push({ ...found, range: rangeOf(node) });
        }
      }
      ts.forEachChild(node, visit);
    };
    for (const root of unit.roots) visit(root);
    return toFunctionSummary(unit, unit.cls ? className(unit.cls) : undefined, rangeOf(unit.node), sites, calls);
  }

  private classify(node: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression, unit: Unit): Omit<CallEdge, 'range'> | Omit<SchemaCreationSite, 'range'> | undefined {
    const sql = this.sqlSites.get(node);
    if (sql) return sql;
    if (ts.isTaggedTemplateExpression(node)) return undefined;
    // A method of the class itself wins over an ORM name: `this.runMigrations()` may be our own wrapper.
    const edge = this.getEdge(node, unit);
    if (edge) return edge;
    return ts.isCallExpression(node) ? getOrmSite(node) : undefined;
  }
}

/** One summarised function, from what the TS and Python builders found in it. */
export function toFunctionSummary(
  unit: Pick<FunctionSummary, 'id' | 'name' | 'kind' | 'exportedAs'>,
  className: string | undefined,
  range: Range,
  sites: SchemaCreationSite[],
  calls: CallEdge[],
): FunctionSummary {
  return {
    id: unit.id,
    name: unit.name,
    kind: unit.kind,
    ...(className === undefined ? {} : { className }),
    exportedAs: unit.exportedAs,
    range,
    sites,
    calls,
    importedCalls: calls.flatMap((c) => (c.target.kind === 'imported' ? [{ module: c.target.module, name: c.target.name, via: c.via }] : [])),
  };
}

/**
 * For each named function, class method and constructor of a file: where it creates schema itself,
 * which same-file and imported functions it calls, and (following same-file calls) whether it
 * creates schema and how. Code in test or development-only context is left out. The result is plain
 * data, so a whole-repo analysis can cache it per file and join files with `findSchemaPath`.
 */
const summaries = new WeakMap<ts.SourceFile, Map<string, FileSchemaSummary>>();

/**
 * Memoised per file, role and scope: the per-file rule and the whole-repo facts ask for the same
 * summary. A full summary also answers a request for the construction scope.
 */
export function summarizeSchemaCreation(sourceFile: ts.SourceFile, role: FileRole = 'application', scope: SummaryScope = 'all'): FileSchemaSummary {
  let byKey = summaries.get(sourceFile);
  if (!byKey) summaries.set(sourceFile, (byKey = new Map()));
  let summary = byKey.get(`${role}:all`) ?? byKey.get(`${role}:${scope}`);
  if (!summary) byKey.set(`${role}:${scope}`, (summary = new SummaryBuilder(sourceFile, role).build(scope)));
  return summary;
}

/** The graph of one file: same-file calls are followed, `new` and imports are not. */
export function createFileSchemaGraph(summary: FileSchemaSummary): SchemaGraph {
  const byId = new Map(summary.functions.map((f) => [f.id, f]));
  return {
    get: (key) => byId.get(key),
    resolve: (_from, edge) => (edge.via === 'call' && edge.target.kind === 'local' ? edge.target.id : undefined),
  };
}

type Search = { path: SchemaPath | undefined; cyclic: boolean };

function search(graph: SchemaGraph, key: string, onStack: Set<string>, memo: Map<string, SchemaPath | undefined>): Search {
  if (memo.has(key)) return { path: memo.get(key), cyclic: false };
  if (onStack.has(key)) return { path: undefined, cyclic: true };
  const summary = graph.get(key);
  if (!summary) return { path: undefined, cyclic: false };
  onStack.add(key);
  let cyclic = false;
  let best: { start: number; path: SchemaPath } | undefined;
  const consider = (start: number, path: SchemaPath) => {
    if (!best || start < best.start) best = { start, path };
  };
  for (const site of summary.sites) consider(site.range[0], { steps: [site.api], site });
  for (const edge of summary.calls) {
    if (best && best.start < edge.range[0]) continue;
    const next = graph.resolve(key, edge);
    if (next === undefined) continue;
    const result = search(graph, next, onStack, memo);
    cyclic ||= result.cyclic;
    if (result.path) consider(edge.range[0], { steps: [edge.name, ...result.path.steps], site: result.path.site });
  }
  onStack.delete(key);
  // A negative answer reached through a cycle may be incomplete; only a finished one is kept.
  if (best || !cyclic) memo.set(key, best?.path);
  return { path: best?.path, cyclic };
}

/**
 * The first call path (in source order) from `key` to a call that creates schema, or `undefined`.
 * Cycles (`a` calls `b` calls `a`) end the search on that branch instead of looping.
 */
export function findSchemaPath(graph: SchemaGraph, key: string, memo: Map<string, SchemaPath | undefined> = new Map()): SchemaPath | undefined {
  return search(graph, key, new Set(), memo).path;
}

/** The path through one edge of `fromKey`, for reporting at that call: `['initializeSchema', 'db.exec']`. */
export function findSchemaPathThrough(graph: SchemaGraph, fromKey: string, edge: CallEdge, memo?: Map<string, SchemaPath | undefined>): SchemaPath | undefined {
  const next = graph.resolve(fromKey, edge);
  if (next === undefined) return undefined;
  const path = findSchemaPath(graph, next, memo);
  return path && { steps: [edge.name, ...path.steps], site: path.site };
}
