import type { Tag, TagFilter } from "../../drizzle/schema";

/** One on-premises tag filter against a host's tags (CodeDeploy's KEY_ONLY / VALUE_ONLY / KEY_AND_VALUE). */
export function matchesFilter(tags: readonly Tag[], filter: TagFilter): boolean {
  return tags.some((t) => {
    switch (filter.Type) {
      case "KEY_ONLY":
        return t.Key === filter.Key;
      case "VALUE_ONLY":
        return t.Value === filter.Value;
      case "KEY_AND_VALUE":
        return t.Key === filter.Key && t.Value === filter.Value;
    }
  });
}

/** A flat filter list is OR: a host matches when any filter does. An empty list matches nothing. */
export function matchesFilters(tags: readonly Tag[], filters: readonly TagFilter[]): boolean {
  return filters.some((f) => matchesFilter(tags, f));
}

/** Checks a filter carries what its Type needs; returns the problem, or null. */
export function tagFilterProblem(filter: TagFilter): string | null {
  if ((filter.Type === "KEY_ONLY" || filter.Type === "KEY_AND_VALUE") && !filter.Key)
    return `A ${filter.Type} tag filter needs a Key.`;
  if ((filter.Type === "VALUE_ONLY" || filter.Type === "KEY_AND_VALUE") && !filter.Value)
    return `A ${filter.Type} tag filter needs a Value.`;
  return null;
}
