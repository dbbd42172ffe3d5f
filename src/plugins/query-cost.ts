import {
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isAbstractType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, UPSTREAM_PAGE_LIMIT } from '../data/pagination.ts';

/**
 * Fields whose cost differs from the general rule below. Per item: what each listed item costs on
 * top of its own selection (organizations reached through memberships are loaded one by one).
 * Flat: a field whose cost is fixed whatever it selects: nothing because its object is already in
 * hand (a membership's user comes with the membership page and primes the user loader), or one
 * list it shares (an organization's roles). Extra pages: a connection the gateway filters reads
 * up to that many more upstream pages.
 */
const PER_ITEM: Record<string, number> = { 'User.organizations': 1, 'Query.organizations': 1 };
const FLAT: Record<string, number> = {
  'OrganizationMembership.user': 0,
  'Viewer.memberships': 0,
  'Query.viewer': 1,
  // ---- the admin screens (src/schema/role.ts, invitation.ts, sessions.ts, audit-log-actions.ts) ----
  // An organization's role list: one call, shared by every role of that organization in the request.
  'Organization.roles': 1,
  // A membership's roles are one role list (its organization's) at most.
  'OrganizationMembership.roles': 1,
  // What a session or the token already carries.
  'Viewer.impersonator': 0,
  'Session.impersonator': 0,
  // An action comes with its latest schema; all versions are one list call.
  'AuditLogAction.schema': 0,
  'AuditLogAction.schemas': 1,
  // A scalar that loads the invitation's organization.
  'Invitation.organizationName': 1,
  // The invitation and the viewer's own user (to match the invitee's email).
  'Query.invitationByToken': 2,
};
/** Connections that may read more upstream pages than their size needs: filtered by the gateway. */
const EXTRA_PAGES: Record<string, number> = { 'Organization.invitations': 2 };

/** Object types that only wrap what their parent field fetched. */
const isWrapper = (type: GraphQLNamedType) =>
  type.name === 'PageInfo' || type.name.endsWith('Connection') || type.name.endsWith('Edge') || type.name.endsWith('Payload');

export interface CostInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/**
 * An upper bound of the WorkOS calls one operation can make, computed before it runs:
 * - a root field or a mutation costs 1, `nodes(ids:)` one per id;
 * - an object field of a fetched object (a membership's organization ...) costs 1;
 * - a connection costs its upstream pages (ceil(size / 100)) plus its size times what each item's
 *   selection costs, where size is `first` or `last` (default 10);
 * - another list of objects multiplies its selection by 10 (embedded lists such as domains cost 0);
 * - scalars and the fields of payloads, edges and page info cost 0.
 * Fragments count in full, each type condition as if it matched (an upper bound).
 */
export function estimateCost({ schema, document, operationName, variables }: CostInput): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    else if (def.kind === Kind.OPERATION_DEFINITION && (!operationName || def.name?.value === operationName)) operation ??= def;
  }
  if (!operation) return 0;
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;

  const valueOf = (node: ValueNode | undefined): unknown => {
    if (!node) return undefined;
    if (node.kind === Kind.VARIABLE) return variables?.[node.name.value];
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.LIST) return node.values.map(valueOf);
    return undefined;
  };
  const arg = (field: FieldNode, name: string) => valueOf(field.arguments?.find((a) => a.name.value === name)?.value);

  const fieldsOf = (type: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined =>
    isObjectType(type) || isAbstractType(type) ? ('getFields' in type ? type.getFields()[name] : undefined) : undefined;

  const selectionCost = (set: SelectionSetNode | undefined, parent: GraphQLNamedType, seen: Set<string>): number => {
    if (!set) return 0;
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        total += fieldCost(sel, parent, seen);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const cond = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        total += selectionCost(sel.selectionSet, cond ?? parent, seen);
      } else {
        const frag = fragments.get(sel.name.value);
        // Validation refuses cycles; `seen` only keeps a malformed document from looping here.
        if (!frag || seen.has(frag.name.value)) continue;
        const cond = schema.getType(frag.typeCondition.name.value) ?? parent;
        total += selectionCost(frag.selectionSet, cond, new Set([...seen, frag.name.value]));
      }
    }
    return total;
  };

  const fieldCost = (node: FieldNode, parent: GraphQLNamedType, seen: Set<string>): number => {
    const name = node.name.value;
    if (name.startsWith('__')) return 0;
    const def = fieldsOf(parent, name);
    if (!def) return 0;
    const type = getNamedType(def.type);
    const key = `${parent.name}.${name}`;
    const children = selectionCost(node.selectionSet, type, seen);

    if (type.name.endsWith('Connection') && isObjectType(type) && 'edges' in type.getFields()) {
      const first = arg(node, 'first');
      const last = arg(node, 'last');
      const requested = typeof first === 'number' ? first : typeof last === 'number' ? last : DEFAULT_PAGE_SIZE;
      const size = Math.max(1, requested);
      return Math.ceil(size / UPSTREAM_PAGE_LIMIT) + (EXTRA_PAGES[key] ?? 0) + size * (children + (PER_ITEM[key] ?? 0));
    }
    if (name === 'nodes' && parent === root) {
      const ids = arg(node, 'ids');
      return (Array.isArray(ids) ? ids.length : 1) * (1 + children);
    }
    // Before the scalar rule: a few scalars fetch (Invitation.organizationName).
    if (key in FLAT) return FLAT[key] + children;
    if (!node.selectionSet) return 0;
    if (parent === root) return 1 + children;
    if (isWrapper(parent)) return children;
    // A plain list of objects (a viewer's memberships): as many items as a default page.
    if (isListType(getNullableType(def.type))) return DEFAULT_PAGE_SIZE * children;
    return 1 + children;
  };

  return selectionCost(operation.selectionSet, root, new Set());
}
