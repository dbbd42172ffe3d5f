import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isListType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { UpstreamCost } from '../data/cost.ts';
import { DEFAULT_PAGE_SIZE, UPSTREAM_PAGE_LIMIT } from '../data/pagination.ts';
import { NODE_PREFIXES, prefixOf } from '../workos/ids.ts';

export interface CostInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  /** The request's variables as sent; their declared defaults are applied here, as execution will. */
  variables?: Record<string, unknown> | null;
  /** A signed-in user's access decisions read memberships; a service's do not. */
  caller?: 'user' | 'service' | 'anonymous';
}

/** Id prefixes of `nodes(ids:)` that the list-first plan may read a page of, on top of single reads. */
const LISTABLE = new Set<string>([NODE_PREFIXES.Organization, NODE_PREFIXES.User, NODE_PREFIXES.Directory, NODE_PREFIXES.SsoConnection]);
const LIST_PLAN_MIN_IDS = 3;

/** Object types that only wrap what their parent field fetched. */
const isWrapper = (type: GraphQLNamedType) =>
  type.name === 'PageInfo' || type.name.endsWith('Connection') || type.name.endsWith('Edge') || type.name.endsWith('Payload') || type.name.endsWith('Error');

const costOf = (field: GraphQLField<unknown, unknown>): UpstreamCost | undefined => field.extensions?.cost as UpstreamCost | undefined;

/**
 * An upper bound of the WorkOS calls one operation can make, from the plan the data layer will
 * follow rather than from names: each field declares its reads (src/schema/cost.ts); a
 * connection costs its upstream pages and multiplies what each item selects by its size; what a
 * payload answers (a membership's user, its organization's id and name, a directory user's
 * groups) costs nothing; identical siblings (aliases, or two lists one page serves) count once;
 * variables count with their declared defaults. A signed-in user adds the read of their
 * memberships (one page: up to 100 organizations) and any other user's memberships an access
 * decision reads. Fragments count in full, each type condition as if it matched.
 */
export function estimateCost({ schema, document, operationName, variables, caller = 'service' }: CostInput): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    else if (def.kind === Kind.OPERATION_DEFINITION && (!operationName || def.name?.value === operationName)) operation ??= def;
  }
  if (!operation) return 0;
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  // Defaults of variables count: `query($n: Int = 500)` asks for 500.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  const values = coerced.coerced ?? {};

  const argsOf = (def: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> => {
    try {
      return getArgumentValues(def, node, values);
    } catch {
      return {}; // execution refuses it; the estimate need not be exact for what will not run
    }
  };

  /** Every field a selection set holds for `type`, through fragments. */
  const fieldsIn = (set: SelectionSetNode | undefined, type: GraphQLNamedType, seen = new Set<string>()): FieldNode[] => {
    const out: FieldNode[] = [];
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) out.push(sel);
      else if (sel.kind === Kind.INLINE_FRAGMENT) out.push(...fieldsIn(sel.selectionSet, type, seen));
      else if (!seen.has(sel.name.value)) {
        const frag = fragments.get(sel.name.value);
        if (frag) out.push(...fieldsIn(frag.selectionSet, type, new Set([...seen, sel.name.value])));
      }
    }
    return out;
  };

  const fieldOf = (type: GraphQLNamedType, name: string, conditions: GraphQLObjectType[]): GraphQLField<unknown, unknown> | undefined => {
    if (isObjectType(type)) return type.getFields()[name];
    // An interface or union: the most expensive of the possible types' fields.
    for (const candidate of conditions) {
      const def = candidate.getFields()[name];
      if (def) return def;
    }
    return undefined;
  };

  /** Cost of a selection set on `type`, each list inside a connection multiplied by `items`. */
  const selectionCost = (set: SelectionSetNode | undefined, type: GraphQLNamedType, items: number): number => {
    if (!set) return 0;
    const possible = isObjectType(type) ? [type] : [...schema.getPossibleTypes(type as never)];
    const shared = new Set<string>();
    let total = 0;
    for (const node of fieldsIn(set, type)) {
      const name = node.name.value;
      if (name.startsWith('__')) continue;
      const defs = possible.map((t) => t.getFields()[name]).filter((d) => d !== undefined);
      const def = defs[0] ?? fieldOf(type, name, possible);
      if (!def) continue;
      total += Math.max(...(defs.length ? defs : [def]).map((d) => fieldCost(node, d, type, items, shared)));
    }
    return total;
  };

  const fieldCost = (node: FieldNode, def: GraphQLField<unknown, unknown>, parent: GraphQLNamedType, items: number, shared: Set<string>): number => {
    const type = getNamedType(def.type);
    const declared = costOf(def);
    const args = argsOf(def, node);
    const isList = isListType(getNullableType(def.type));

    // Identical siblings (an alias repeated, or two lists one read serves) make their reads once.
    const shareKey = declared?.shares ?? `${def.name}`;
    const key = `${shareKey}:${JSON.stringify(pageArgs(args))}:${JSON.stringify(otherArgs(args))}`;
    const repeat = shared.has(key);
    shared.add(key);

    if (!declared) {
      if (!node.selectionSet) return 0;
      // Inside a connection or payload: the parent fetched it. Lists inside a connection are its items.
      if (isWrapper(parent)) return selectionCost(node.selectionSet, type, 1) * (isList ? items : 1);
      // Undeclared: as if loaded one by one (a sound default for a field nobody declared).
      return (repeat ? 0 : 1) + selectionCost(node.selectionSet, type, 1) * (isList ? DEFAULT_PAGE_SIZE : 1);
    }

    const user = caller === 'user' ? (declared.userCalls ?? 0) : 0;
    if (declared.perIdArg) {
      const ids = args[declared.perIdArg];
      const list = Array.isArray(ids) ? ids.map(String) : [];
      const byType = new Map<string, number>();
      for (const id of list) byType.set(prefixOf(id) ?? '?', (byType.get(prefixOf(id) ?? '?') ?? 0) + 1);
      let calls = 0;
      for (const [prefix, n] of byType) {
        calls += n + (LISTABLE.has(prefix) && n >= LIST_PLAN_MIN_IDS ? 1 : 0);
        if (caller === 'user' && prefix === NODE_PREFIXES.User) calls += n; // each user's memberships decide visibility
      }
      return calls + list.length * selectionCost(node.selectionSet, type, 1);
    }
    if (declared.pages) {
      const size = sizeOf(args);
      const calls = repeat ? 0 : Math.ceil(size / UPSTREAM_PAGE_LIMIT);
      return calls + user + selectionCost(node.selectionSet, type, size);
    }
    if (declared.items !== undefined) {
      const n = declared.items === 'page' ? sizeOf(args) : declared.items;
      return (repeat ? 0 : (declared.calls ?? 0)) + user + selectionCost(node.selectionSet, type, n) * (isList ? n : 1);
    }
    if (declared.stub) {
      const stubbed = declared.stub;
      const needsMore = fieldsIn(node.selectionSet, type).some((f) => !f.name.value.startsWith('__') && !stubbed.includes(f.name.value));
      return (needsMore && !repeat ? (declared.calls ?? 1) : 0) + user + selectionCost(node.selectionSet, type, 1);
    }
    return (repeat ? 0 : (declared.calls ?? 0)) + user + selectionCost(node.selectionSet, type, 1) * (isList ? DEFAULT_PAGE_SIZE : 1);
  };

  const ownAccess = caller === 'user' && fieldsIn(operation.selectionSet, root).some((f) => !f.name.value.startsWith('__')) ? 1 : 0;
  return ownAccess + selectionCost(operation.selectionSet, root, 1);
}

function sizeOf(args: Record<string, unknown>): number {
  const first = args.first;
  const last = args.last;
  const requested = typeof first === 'number' ? first : typeof last === 'number' ? last : DEFAULT_PAGE_SIZE;
  return Math.max(1, requested);
}

const PAGE_ARGS = ['first', 'last', 'after', 'before', 'order'];
const pageArgs = (args: Record<string, unknown>) => PAGE_ARGS.map((name) => args[name] ?? null);
/** Arguments other than paging: reads with other filters are other reads. */
const otherArgs = (args: Record<string, unknown>) => Object.entries(args).filter(([name]) => !PAGE_ARGS.includes(name)).sort();
