// What a resolver's selection asks for below it, read before its children run: lets a parent
// field fetch in one statement what its children would otherwise fetch one round trip each.
import {
  getArgumentValues, getDirectiveValues, GraphQLIncludeDirective, GraphQLSkipDirective, Kind,
  type FieldNode, type GraphQLField, type GraphQLResolveInfo, type SelectionSetNode,
} from 'graphql';

/** The fields selected directly under `nodes`, through inline fragments and named fragments, minus @skip/@include'd ones. */
export function subFields(info: GraphQLResolveInfo, nodes: readonly FieldNode[]): FieldNode[] {
  const out: FieldNode[] = [];
  const included = (node: FieldNode | SelectionSetNode['selections'][number]) =>
    getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if !== true
    && getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
  const walk = (set: SelectionSetNode | undefined, seen: Set<string>) => {
    for (const sel of set?.selections ?? []) {
      if (!included(sel)) continue;
      if (sel.kind === Kind.FIELD) out.push(sel);
      else if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet, seen);
      else if (!seen.has(sel.name.value)) {
        seen.add(sel.name.value);
        walk(info.fragments[sel.name.value]?.selectionSet, seen);
      }
    }
  };
  for (const node of nodes) walk(node.selectionSet, new Set());
  return out;
}

/** A field's arguments as its resolver will get them (defaults applied); null when they do not coerce. */
export function argumentsOf(field: GraphQLField<unknown, unknown> | undefined, node: FieldNode, info: GraphQLResolveInfo): Record<string, unknown> | null {
  if (!field) return null;
  try {
    return getArgumentValues(field, node, info.variableValues);
  } catch {
    return null;
  }
}

/** Whether the links under `field` (a list of Link) ask for their citations, directly or through sourceCount. */
export function selectsCitations(info: GraphQLResolveInfo, field: string): boolean {
  const links = subFields(info, info.fieldNodes).filter((n) => n.name.value === field);
  return subFields(info, links).some((n) => n.name.value === 'citations' || n.name.value === 'sourceCount');
}
