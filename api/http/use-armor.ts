// Query limits from @escape.tech/graphql-armor, tuned to our deepest real query
// (paths → edges → citations → source → links → citations → via: depth 9 with a fragment).
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';

export const ARMOR = {
  maxDepth: 12,
  maxAliases: 15,
  maxTokens: 5000,
  maxDirectives: 50,
  costLimit: 50_000,
} as const;

export function useArmor() {
  return EnvelopArmorPlugin({
    maxDepth: { n: ARMOR.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: ARMOR.maxAliases },
    maxTokens: { n: ARMOR.maxTokens },
    maxDirectives: { n: ARMOR.maxDirectives },
    costLimit: { maxCost: ARMOR.costLimit, ignoreIntrospection: true },
    blockFieldSuggestion: { enabled: true },
  });
}
