import { isDisposableContext } from '../policy.js';
import { describeStatement } from '../sql/classify.js';
import type { FileRole, PythonInput, Range } from '../types.js';
import { createFileSchemaGraph, findSchemaPath, toFunctionSummary, type CallEdge, type FileSchemaSummary, type FunctionSummary, type SchemaCreationSite, type SchemaPath } from '../ts-helpers/schema-creation.js';
import { getPythonExecutionContext } from './context.js';
import { describeSqlPath, getPythonCodeSql } from './executed-sql.js';
import { getPyStaticString } from './static.js';
import {
  bodyOf,
  calleeName,
  calleeOf,
  calleeText,
  className,
  describePy,
  functionName,
  getPyModule,
  memoize,
  positionalArguments,
  receiverOf,
  superclassesOf,
  textOf,
  unwrap,
  type PyModule,
  type PyNode,
} from './syntax.js';

type SiteKind = Omit<SchemaCreationSite, 'range'>;

/** Python constructors: `__init__`, and a dataclass's `__post_init__`, which runs as part of it. */
const CONSTRUCTOR_NAMES = /^(?:__init__|__post_init__)$/;
/** `executescript(SCHEMA)` with a name that says what it holds, when the value itself is imported. */
const SCHEMA_NAME = /schema|ddl|create_tables|init_sql|migration/i;
/** `def _apply_schema(self, script): self.conn.executescript(script)`: the function says what the script is. */
const SCHEMA_FUNCTION = /schema|migrat|create_tables|ddl/i;

function enclosingFunctionName(module: PyModule, node: PyNode): string | undefined {
  for (let current = node.parent; current; current = current.parent) if (current.type === 'function_definition') return functionName(module, current);
  return undefined;
}

interface Unit {
  id: string;
  name: string;
  kind: FunctionSummary['kind'];
  node: PyNode;
  body: PyNode;
  cls?: PyNode;
  exportedAs: string[];
}

interface ImportBinding {
  module: string;
  /** The imported name, or `*` when the binding is the module itself. */
  name: string;
}

function rangeOf(node: PyNode): Range {
  return [node.start, node.end];
}

function joinModule(base: string, name: string): string {
  return base.endsWith('.') ? `${base}${name}` : `${base}.${name}`;
}

/** Local names bound by `import` statements: `import app.db as db` → module `app.db`; `from .db import init` → `.db`/`init`. */
export function getPythonImportBindings(module: PyModule): Map<string, ImportBinding> {
  const bindings = new Map<string, ImportBinding>();
  for (const statement of module.root.children) {
    if (statement.type === 'import_statement') {
      for (const item of statement.children) {
        if (item.type === 'aliased_import') bindings.set(textOf(module, item.children[1]!), { module: textOf(module, item.children[0]!), name: '*' });
        else if (item.type === 'dotted_name') {
          // `import a.b` binds `a`; calls through it spell the full path.
          const first = textOf(module, item.children[0]!);
          bindings.set(first, { module: first, name: '*' });
        }
      }
    } else if (statement.type === 'import_from_statement') {
      const [source, ...names] = statement.children;
      if (!source) continue;
      const from = textOf(module, source).replace(/\s+/g, '');
      for (const item of names) {
        const [original, alias] = item.type === 'aliased_import' ? [item.children[0]!, item.children[1]!] : [item, item];
        if (original.type !== 'dotted_name') continue;
        bindings.set(textOf(module, alias), { module: from, name: textOf(module, original) });
      }
    }
  }
  return bindings;
}

/** ORM and migration-runner calls that create tables. */
function getOrmSite(module: PyModule, call: PyNode): SiteKind | undefined {
  const name = calleeName(module, call);
  const api = calleeText(module, call);
  const receiver = receiverOf(call);
  switch (name) {
    case 'create_all':
      return receiver ? { api, effect: 'creates every missing table' } : undefined;
    case 'run_sync': {
      // `await conn.run_sync(Base.metadata.create_all)`
      const [first] = positionalArguments(call);
      const target = first && unwrap(first);
      return target?.type === 'attribute' && /\.create_all$/.test(describePy(module, target)) ? { api: describePy(module, target).replace(/^(?:self|cls)\./, ''), effect: 'creates every missing table' } : undefined;
    }
    case 'create_tables':
      return receiver ? { api, effect: 'creates the tables' } : undefined;
    case 'create_table': {
      const [first] = positionalArguments(call);
      const table = first && getPyStaticString(module, first);
      return receiver ? { api, effect: table ? `creates table ${table}` : 'creates a table' } : undefined;
    }
    case 'generate_schemas':
      return { api, effect: 'creates every missing table' };
    case 'upgrade':
      // Alembic `command.upgrade(config, "head")`, Flask-Migrate `upgrade()`.
      return /(?:^|\.)command$/.test(receiver ? describePy(module, receiver) : '') || (!receiver && positionalArguments(call).length <= 1) ? { api, effect: 'runs pending migrations' } : undefined;
    case 'call_command': {
      const [first] = positionalArguments(call);
      return first && getPyStaticString(module, first) === 'migrate' ? { api: `${api}("migrate")`, effect: 'runs pending migrations' } : undefined;
    }
    default:
      return undefined;
  }
}

/** Executed DDL, executed schema files and schema scripts, by the call that runs them. */
function getSqlSites(module: PyModule): Map<PyNode, SiteKind> {
  const sites = new Map<PyNode, SiteKind>();
  const code = getPythonCodeSql(module);
  for (const executed of code.executed) {
    const creates = executed.statements.filter((s) => s.kind === 'createTable' || s.kind === 'createIndex');
    if (creates.length === 0) continue;
    const more = creates.length > 1 ? ` and ${creates.length - 1} more` : '';
    sites.set(executed.site, { api: executed.api, effect: `runs ${describeStatement(creates[0]!)}${more}` });
  }
  for (const file of code.schemaFiles) sites.set(file.site, { api: file.api, effect: `runs the schema file ${describeSqlPath(file.path)}` });
  for (const call of module.nodes) {
    if (call.type !== 'call' || sites.has(call) || calleeName(module, call) !== 'executescript') continue;
    const [first] = positionalArguments(call);
    const argument = first && unwrap(first);
    const fn = enclosingFunctionName(module, call);
    if (argument && (argument.type === 'identifier' || argument.type === 'attribute') && (SCHEMA_NAME.test(describePy(module, argument)) || SCHEMA_FUNCTION.test(fn ?? ''))) {
      sites.set(call, { api: calleeText(module, call), effect: `runs the schema script \`${describePy(module, argument).replace(/^(?:self|cls)\./, '')}\`` });
    }
  }
  return sites;
}

class PythonSummaryBuilder {
  private readonly units = new Map<PyNode, Unit>();
  private readonly usedIds = new Set<string>();
  private readonly classMembers = new Map<PyNode, Map<string, Unit>>();
  private readonly classesByName = new Map<string, PyNode | null>();
  private readonly functionsByScope = new Map<PyNode, Map<string, Unit>>();
  private readonly sqlSites: Map<PyNode, SiteKind>;
  private readonly imports: Map<string, ImportBinding>;

  constructor(
    private readonly module: PyModule,
    private readonly role: FileRole,
  ) {
    this.sqlSites = getSqlSites(module);
    this.imports = getPythonImportBindings(module);
  }

  build(): FileSchemaSummary {
    this.collect(this.module.root, undefined, undefined);
    const functions = [...this.units.values()].map((unit) => this.summarize(unit));
    const graph = createFileSchemaGraph({ functions });
    const memo = new Map<string, SchemaPath | undefined>();
    for (const summary of functions) {
      const path = findSchemaPath(graph, summary.id, memo);
      if (path) summary.createsSchema = path;
    }
    return { functions };
  }

  private uniqueId(base: string, node: PyNode): string {
    const id = this.usedIds.has(base) ? `${base}@${node.start}` : base;
    this.usedIds.add(id);
    return id;
  }

  /** Registers functions, classes and methods under `container` (a block or the module). */
  private collect(container: PyNode, owner: Unit | undefined, cls: PyNode | undefined): void {
    for (const raw of container.children) {
      const statement = raw.type === 'decorated_definition' ? raw.children[raw.children.length - 1]! : raw;
      if (statement.type === 'function_definition') {
        const name = functionName(this.module, statement) ?? '';
        const body = bodyOf(statement);
        if (!body) continue;
        const isMethod = cls !== undefined && owner === undefined;
        const kind: FunctionSummary['kind'] = isMethod ? (CONSTRUCTOR_NAMES.test(name) ? 'constructor' : 'method') : 'function';
        const clsName = cls && className(this.module, cls);
        const base = isMethod ? `${clsName}.${name}` : owner ? `${owner.id}/${name}` : name;
        const topLevel = container === this.module.root;
        const unit: Unit = {
          id: this.uniqueId(base, statement),
          name,
          kind,
          node: statement,
          body,
          cls: cls ?? owner?.cls,
          // Every top-level name is importable; a constructor is reached by calling its class.
          exportedAs: topLevel ? [name] : kind === 'constructor' && clsName && this.isTopLevelClass(cls!) ? [clsName] : [],
        };
        this.units.set(statement, unit);
        if (isMethod) this.classMembers.get(cls!)!.set(name, unit);
        else this.scopeFunctions(owner?.body ?? this.module.root).set(name, unit);
        this.collect(body, unit, undefined);
      } else if (statement.type === 'class_definition') {
        const name = className(this.module, statement) ?? '(anonymous class)';
        this.classesByName.set(name, this.classesByName.has(name) ? null : statement);
        this.classMembers.set(statement, new Map());
        const body = bodyOf(statement);
        if (body) this.collect(body, undefined, statement);
      } else if (statement.type !== 'expression_statement') {
        this.collectNested(statement, owner, cls);
      }
    }
  }

  /** `if`/`try`/`with` blocks (and their clauses) may define functions too. */
  private collectNested(statement: PyNode, owner: Unit | undefined, cls: PyNode | undefined): void {
    for (const child of statement.children) {
      if (child.type === 'block') this.collect(child, owner, cls);
      else if (/_clause$/.test(child.type)) this.collectNested(child, owner, cls);
    }
  }

  private isTopLevelClass(cls: PyNode): boolean {
    const parent = cls.parent?.type === 'decorated_definition' ? cls.parent.parent : cls.parent;
    return parent === this.module.root;
  }

  private scopeFunctions(scope: PyNode): Map<string, Unit> {
    let map = this.functionsByScope.get(scope);
    if (!map) this.functionsByScope.set(scope, (map = new Map()));
    return map;
  }

  private baseClass(cls: PyNode): PyNode | undefined {
    const [first] = superclassesOf(this.module, cls);
    return first === undefined ? undefined : (this.classesByName.get(first) ?? undefined);
  }

  private findMethod(cls: PyNode | undefined, name: string, includeConstructor = false): Unit | undefined {
    for (let current = cls, depth = 0; current && depth < 10; current = this.baseClass(current), depth++) {
      const unit = this.classMembers.get(current)?.get(name);
      if (unit && (includeConstructor || unit.kind !== 'constructor')) return unit;
    }
    return undefined;
  }

  /** The nearest function named `name` visible from `unit`: nested ones first, then the module's. */
  private findFunction(unit: Unit, name: string): Unit | undefined {
    for (let node: PyNode | undefined = unit.node; node; node = node.parent) {
      const scope = node.type === 'function_definition' ? bodyOf(node) : node.type === 'module' ? node : undefined;
      const found = scope && this.functionsByScope.get(scope)?.get(name);
      if (found) return found;
    }
    return undefined;
  }

  private getEdge(call: PyNode, unit: Unit): Omit<CallEdge, 'range'> | undefined {
    const callee = calleeOf(call);
    if (!callee) return undefined;
    if (callee.type === 'attribute') {
      const object = unwrap(callee.children[0]!);
      const member = textOf(this.module, callee.children[1]!);
      const objectText = textOf(this.module, object);
      if (object.type === 'identifier' && (objectText === 'self' || objectText === 'cls')) {
        const method = this.findMethod(unit.cls, member);
        return method ? { target: { kind: 'local', id: method.id }, name: method.name, via: 'call' } : undefined;
      }
      // `super().__init__()` runs the base class's constructor as part of this one.
      if (object.type === 'call' && textOf(this.module, object.children[0]!) === 'super' && unit.cls) {
        const base = this.baseClass(unit.cls);
        const method = base && this.findMethod(base, member, true);
        return method ? { target: { kind: 'local', id: method.id }, name: `super().${member}`, via: 'call' } : undefined;
      }
      if (object.type === 'identifier') {
        const binding = this.imports.get(objectText);
        if (binding) {
          const moduleName = binding.name === '*' ? binding.module : joinModule(binding.module, binding.name);
          return { target: { kind: 'imported', module: moduleName, name: member }, name: `${objectText}.${member}`, via: 'call' };
        }
      }
      return undefined;
    }
    if (callee.type !== 'identifier') return undefined;
    const name = textOf(this.module, callee);
    const local = this.findFunction(unit, name);
    if (local) return { target: { kind: 'local', id: local.id }, name: local.name, via: 'call' };
    const cls = this.classesByName.get(name);
    if (cls) {
      const ctor = this.findMethod(cls, '__init__', true);
      return ctor ? { target: { kind: 'local', id: ctor.id }, name, via: 'new' } : undefined;
    }
    const binding = this.imports.get(name);
    if (binding && binding.name !== '*') return { target: { kind: 'imported', module: binding.module, name: binding.name }, name, via: /^[A-Z]/.test(binding.name) ? 'new' : 'call' };
    return undefined;
  }

  private summarize(unit: Unit): FunctionSummary {
    const sites: SchemaCreationSite[] = [];
    const calls: CallEdge[] = [];
    const nodes = this.module.nodes;
    for (let i = unit.body.index; i <= unit.body.last; i++) {
      const node = nodes[i]!;
      // Nested functions, lambdas and classes run when called, not as part of this body.
      if (node.type === 'function_definition' || node.type === 'class_definition' || node.type === 'lambda') {
        i = node.last;
        continue;
      }
      if (node.type !== 'call') continue;
      // Our own methods and functions win over an ORM name; a known runner wins over following an import.
      const edge = this.getEdge(node, unit);
      const found = this.sqlSites.get(node) ?? (edge?.target.kind === 'local' ? edge : (getOrmSite(this.module, node) ?? edge));
      if (!found || isDisposableContext(getPythonExecutionContext(this.module, node, this.role))) continue;
      if ('target' in found) calls.push({ ...found, range: rangeOf(node) });
      else sites.push({ ...found, range: rangeOf(node) });
    }
    return toFunctionSummary(unit, unit.cls ? className(this.module, unit.cls) : undefined, rangeOf(unit.node), sites, calls);
  }
}

/**
 * The Python counterpart of `summarizeSchemaCreation`: for each function, method and constructor
 * (`__init__`), where it creates schema (`create_all`, executed DDL, an executed `.sql` file,
 * `executescript(SCHEMA)`, a migration runner) and which same-file and imported functions it calls.
 * Plain data, so `no-schema-in-constructor` and the whole-repo analysis share one search.
 */
export function summarizePythonSchemaCreation(input: Pick<PythonInput, 'tree' | 'text' | 'role'>): FileSchemaSummary {
  const module = getPyModule(input);
  return memoize(module, `schema:summary:${input.role}`, () => new PythonSummaryBuilder(module, input.role).build());
}
