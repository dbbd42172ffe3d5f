import {
  getArgumentValues,
  getVariableValues,
  isObjectType,
  Kind,
  type ExecutionArgs,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type SelectionSetNode,
} from 'graphql';
import type { ZodType } from 'zod';
import type { GatewayContext } from '../context/context.ts';

/**
 * The execution plan's head start. GraphQL runs a field's children only once the field has
 * resolved, and a declared scope check runs before its resolver: a screen would wait for the
 * parent object, or for the viewer's memberships, before reads that need neither. Before
 * execution, this walks the operation and starts every read whose inputs are already known —
 * the viewer's memberships, root lists an argument names the organization of, and the lists
 * under a root object that need only its id — through the same functions the resolvers call.
 * The loaders share each read, so the resolvers later find it under way or done: waves drop,
 * calls do not grow. It only reads; every scope check still decides what is returned.
 */
export interface PlanStep {
  /** Starts the field's reads; `parentId` is the id of the object the field is on, when known. */
  start(ctx: GatewayContext, args: Record<string, unknown>, parentId: string | undefined): unknown;
  /** Whether the field's scope check will read the viewer's memberships (default: yes). */
  access?(ctx: GatewayContext, args: Record<string, unknown>): boolean;
  /** For a field returning one object: its type and id (when known before it loads), so its children start too. */
  child?(ctx: GatewayContext, args: Record<string, unknown>): { type: string; id: string | undefined } | undefined;
}

const steps = new Map<string, PlanStep>();

/** Declares how `Type.field` starts ahead of execution (next to the field, in its domain file). */
export function planField(coordinate: string, step: PlanStep): void {
  steps.set(coordinate, step);
}

/** Root fields without a step that need no access decision; any other makes the viewer's memberships worth starting. */
const NEEDS_NO_ACCESS = new Set(['__typename']);

/**
 * Starts what the operation will need; returns the reads started, so the caller can wait for
 * them to settle before answering (nothing outlives its request).
 */
export function startPlan(args: ExecutionArgs): Promise<unknown>[] {
  const ctx = args.contextValue as GatewayContext;
  const started: Promise<unknown>[] = [];
  // Anonymous callers are refused by the root types' scope: nothing is worth starting for them.
  if (ctx.caller.kind === 'anonymous') return started;
  const track = (value: unknown) => {
    if (value instanceof Promise) started.push(value.catch(() => undefined));
  };
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation;
  for (const def of args.document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    else if (def.kind === Kind.OPERATION_DEFINITION && (!args.operationName || def.name?.value === args.operationName)) operation ??= def;
  }
  if (!operation || operation.operation === 'subscription') return started;
  const root = args.schema.getRootType(operation.operation);
  if (!root) return started;
  // Declared defaults apply, as execution will apply them: the read started must be the one resolved.
  const variables = getVariableValues(args.schema, operation.variableDefinitions ?? [], args.variableValues ?? {}).coerced ?? {};

  const fieldsOf = function* (set: SelectionSetNode | undefined, type: GraphQLObjectType, seen: Set<string>): Generator<FieldNode> {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) yield sel;
      else if (sel.kind === Kind.INLINE_FRAGMENT) {
        if (!sel.typeCondition || sel.typeCondition.name.value === type.name) yield* fieldsOf(sel.selectionSet, type, seen);
      } else if (!seen.has(sel.name.value)) {
        const fragment = fragments.get(sel.name.value);
        if (fragment?.typeCondition.name.value === type.name) yield* fieldsOf(fragment.selectionSet, type, new Set([...seen, sel.name.value]));
      }
    }
  };

  let needsAccess = false;
  const walk = (set: SelectionSetNode | undefined, type: GraphQLObjectType, parentId: string | undefined) => {
    for (const node of fieldsOf(set, type, new Set())) {
      const step = steps.get(`${type.name}.${node.name.value}`);
      const def = type.getFields()[node.name.value];
      if (!step || !def) {
        if (type === root && !NEEDS_NO_ACCESS.has(node.name.value)) needsAccess = true;
        continue;
      }
      let fieldArgs: Record<string, unknown>;
      try {
        fieldArgs = getArgumentValues(def, node, variables);
      } catch {
        continue; // execution reports the bad argument; nothing starts for it
      }
      if (step.access?.(ctx, fieldArgs) ?? true) needsAccess = true;
      // Mutations run one after another and are not started early; reads under them are not either.
      if (operation.operation === 'query') track(step.start(ctx, fieldArgs, parentId));
      const child = step.child?.(ctx, fieldArgs);
      const childType = child && args.schema.getType(child.type);
      if (child && isObjectType(childType)) walk(node.selectionSet, childType, child.id);
    }
  };
  walk(operation.selectionSet, root, undefined);
  if (needsAccess && ctx.caller.kind === 'user') track(ctx.access.viewerMemberships());
  return started;
}

/**
 * The arguments as the field's resolver gets them, when they pass the field's own validators:
 * a read never starts for input that execution is going to refuse.
 */
export function validArgs<T>(args: Record<string, unknown>, checks: Record<string, ZodType>): T | undefined {
  for (const [name, check] of Object.entries(checks)) if (!check.safeParse(args[name]).success) return undefined;
  // Coerced by GraphQL against this field's own argument types.
  return args as T;
}
