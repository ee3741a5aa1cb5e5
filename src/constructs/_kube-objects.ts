import { LintedApiObject } from '../lint/construct-validation';
/**
 * The Services and PodDisruptionBudgets CanaryApp renders: plain `ApiObject`s holding the JSON
 * that `k8s.KubeService` / `k8s.KubePodDisruptionBudget` would render for the same props.
 *
 * The typed props are converted to JSON once, here, where they are known to be typed (IntOrString
 * instances, camelCase field names). The object then holds plain JSON, so whatever a user adds
 * afterwards (a JSON patch, `metadata.add`) goes through untouched. The L1 classes instead convert
 * the already-resolved and patched JSON again with their typed `toJson_*Props`, which reads
 * IntOrString fields as `v?.value` and knows the schema of Kubernetes 1.28 only: a patched
 * `targetPort: 8080` or `"http"`, `clusterIP` (read as `clusterIp`), `sessionAffinityConfig.clientIP`
 * and `trafficDistribution` would all be dropped without a word.
 *
 * When the props hold only the fields CanaryApp renders, the JSON is built directly (keys in the
 * L1's order, the schema's); anything else goes through the L1's typed conversion of the props.
 * Plain `ApiObject`s are also one hidden class fewer at the property accesses of cdk8s's code.
 * `instanceof k8s.KubeService` still holds: cdk8s's `ApiObject[Symbol.hasInstance]` (inherited by
 * the L1s) accepts any ApiObject.
 */
import { ApiObject, type ApiObjectMetadata } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';

type Json = Record<string, unknown>;

const SERVICE_GVK = k8s.KubeService.GVK;
const PDB_GVK = k8s.KubePodDisruptionBudget.GVK;

/** Adds a Service holding the JSON `k8s.KubeService` renders for `props` (plain JSON from then on). */
export function serviceObject(scope: Construct, id: string, props: k8s.KubeServiceProps): ApiObject {
  const spec = props.spec === undefined ? undefined : (serviceSpecJson(props.spec) ?? k8s.toJson_ServiceSpec(props.spec));
  return new LintedApiObject(scope, id, { ...SERVICE_GVK, metadata: props.metadata as ApiObjectMetadata | undefined, spec });
}

/** Adds a PodDisruptionBudget holding the JSON `k8s.KubePodDisruptionBudget` renders for `props` (plain JSON from then on). */
export function pdbObject(scope: Construct, id: string, props: k8s.KubePodDisruptionBudgetProps): ApiObject {
  const spec = props.spec === undefined ? undefined : (pdbSpecJson(props.spec) ?? k8s.toJson_PodDisruptionBudgetSpec(props.spec));
  return new LintedApiObject(scope, id, { ...PDB_GVK, metadata: props.metadata as ApiObjectMetadata | undefined, spec });
}

// Each list is in the order the L1 conversion emits these fields (the schema's order).
const SERVICE_SPEC_KEYS = ['ports', 'selector', 'type'];
const SERVICE_PORT_KEYS = ['name', 'port', 'protocol', 'targetPort'];
const PDB_SPEC_KEYS = ['maxUnavailable', 'minAvailable', 'selector'];
const LABEL_SELECTOR_KEYS = ['matchLabels'];

/** What `k8s.toJson_ServiceSpec(spec)` gives, or undefined when `spec` has other fields. */
function serviceSpecJson(spec: k8s.ServiceSpec): Json | undefined {
  if (!hasOnly(spec, SERVICE_SPEC_KEYS)) return undefined;
  const ports = spec.ports;
  let portsJson: Json[] | undefined;
  if (ports !== undefined) {
    if (!Array.isArray(ports)) return undefined;
    portsJson = [];
    for (const p of ports) {
      if (!hasOnly(p, SERVICE_PORT_KEYS)) return undefined;
      const port: Json = {};
      put(port, 'name', p.name);
      put(port, 'port', p.port);
      put(port, 'protocol', p.protocol);
      put(port, 'targetPort', intOrString(p.targetPort));
      portsJson.push(port);
    }
  }
  const selector = mapOf(spec.selector);
  if (selector === null) return undefined;
  const specJson: Json = {};
  put(specJson, 'ports', portsJson);
  put(specJson, 'selector', selector);
  put(specJson, 'type', spec.type);
  return specJson;
}

/** What `k8s.toJson_PodDisruptionBudgetSpec(spec)` gives, or undefined when `spec` has other fields. */
function pdbSpecJson(spec: k8s.PodDisruptionBudgetSpec): Json | undefined {
  if (!hasOnly(spec, PDB_SPEC_KEYS)) return undefined;
  let selector: Json | undefined;
  if (spec.selector !== undefined) {
    if (!hasOnly(spec.selector, LABEL_SELECTOR_KEYS)) return undefined;
    const matchLabels = mapOf(spec.selector.matchLabels);
    if (matchLabels === null) return undefined;
    selector = {};
    put(selector, 'matchLabels', matchLabels);
  }
  const specJson: Json = {};
  put(specJson, 'maxUnavailable', intOrString(spec.maxUnavailable));
  put(specJson, 'minAvailable', intOrString(spec.minAvailable));
  put(specJson, 'selector', selector);
  return specJson;
}

/** True when `value` is a non-array object whose keys are all in `allowed`. */
function hasOnly(value: unknown, allowed: readonly string[]): value is Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const k of Object.keys(value)) if (!allowed.includes(k)) return false;
  return true;
}

/** The L1's copy of a string map (undefined entries dropped); null when it is not a plain map. */
function mapOf(value: unknown): Json | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const out: Json = {};
  for (const k of Object.keys(value)) {
    const v = (value as Json)[k];
    if (v === undefined) continue;
    if (k === '__proto__') return null;
    out[k] = v;
  }
  return out;
}

/** The value of a typed `k8s.IntOrString` (the L1's `obj.x?.value`); props here are typed, never raw JSON. */
function intOrString(value: unknown): unknown {
  return (value as k8s.IntOrString | undefined)?.value;
}

/** Sets `key` unless `value` is undefined (the L1's undefined filter). */
function put(out: Json, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}
