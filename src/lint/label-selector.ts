import { isPlainObject } from '../model/records';
import { arrayAt, recordAt, stringAt, stringMapAt } from './data';

/** A Kubernetes `LabelSelector` (matchLabels + matchExpressions), as parsed from YAML. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

/** One `matchExpressions` entry. */
export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

/** Reads a `LabelSelector` from parsed YAML; unknown shapes give an empty selector. */
export function readLabelSelector(value: unknown): LabelSelector {
  const raw = recordAt(value);
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const item of arrayAt(raw.matchExpressions)) {
    if (!isPlainObject(item)) continue;
    const key = stringAt(item.key);
    const operator = stringAt(item.operator);
    if (key === undefined || operator === undefined) continue;
    matchExpressions.push({ key, operator, values: arrayAt(item.values).map(String) });
  }
  return { matchLabels: stringMapAt(raw.matchLabels), matchExpressions };
}

/** The label keys a selector constrains. */
export function selectorKeys(selector: LabelSelector): readonly string[] {
  return [...Object.keys(selector.matchLabels ?? {}), ...(selector.matchExpressions ?? []).map((e) => e.key)];
}

/** True when the selector has no requirement at all (in a PDB it then selects every pod of the namespace). */
export function isEmptySelector(selector: LabelSelector): boolean {
  return selectorKeys(selector).length === 0;
}

/**
 * Label-selector semantics of Kubernetes (apimachinery `labels.Selector.Matches`): every
 * matchLabels entry equal, every expression satisfied (In, NotIn, Exists, DoesNotExist).
 * `onlyKeys`, when given, restricts the check to requirements on those keys.
 */
export function matchesSelector(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>>,
  onlyKeys?: ReadonlySet<string>,
): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (onlyKeys && !onlyKeys.has(key)) continue;
    if (labels[key] !== value) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    if (onlyKeys && !onlyKeys.has(req.key)) continue;
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
        if (!has || !values.includes(labels[req.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[req.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        // An unknown operator is rejected by the API server; such a selector matches nothing.
        return false;
    }
  }
  return true;
}
