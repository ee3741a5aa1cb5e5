/**
 * Whether the equality selector `selector` (a Service's `spec.selector`, a `matchLabels` map)
 * matches `labels`: every entry equal (`labels.SelectorFromSet(selector).Matches(labels)` in
 * apimachinery). An empty map matches every label set; where an empty selector must select
 * nothing (a reference that has to point at the Rollout's pods) use {@link selectsSome}.
 */
export function labelsMatch(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, unknown>>): boolean {
  return Object.keys(selector).every((k) => labels[k] === selector[k]);
}

/** A non-empty selector that matches `labels` (an empty selector selects nothing here). */
export function selectsSome(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, unknown>>): boolean {
  return Object.keys(selector).length > 0 && labelsMatch(selector, labels);
}
