/**
 * `k8s.KubeService` and `k8s.KubePodDisruptionBudget` with the same output and a cheaper `toJson`.
 *
 * The L1s render by resolving the object as every ApiObject does, then converting the result
 * again with the generated `toJson_*Props`, whose undefined filter re-spreads every object once
 * per key: ~15 µs per object, more than the rest of the Service's rendering. When the resolved
 * object has only the fields CanaryApp renders (so the conversion would only reorder them to the
 * schema's order, unwrap the IntOrString values and drop undefined), these classes build that
 * result directly. Anything else (a JSON patch or `metadata.add` that added a field) goes through
 * the L1's own conversion, so the output is the L1's in every case.
 */
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';

type Json = Record<string, unknown>;

/** The Service CanaryApp renders (`k8s.KubeService`, cheaper to synthesize). */
export class ServiceObject extends k8s.KubeService {
  public override toJson(): any {
    const resolved = ApiObject.prototype.toJson.call(this);
    return serviceJson(resolved) ?? { ...k8s.KubeService.GVK, ...k8s.toJson_KubeServiceProps(resolved) };
  }
}

/** The PodDisruptionBudget CanaryApp renders (`k8s.KubePodDisruptionBudget`, cheaper to synthesize). */
export class PdbObject extends k8s.KubePodDisruptionBudget {
  public override toJson(): any {
    const resolved = ApiObject.prototype.toJson.call(this);
    return pdbJson(resolved) ?? { ...k8s.KubePodDisruptionBudget.GVK, ...k8s.toJson_KubePodDisruptionBudgetProps(resolved) };
  }
}

// The L1 output starts with `...GVK`: these objects have exactly apiVersion and kind.
const SERVICE_GVK = k8s.KubeService.GVK;
const PDB_GVK = k8s.KubePodDisruptionBudget.GVK;
const TOP_KEYS = ['apiVersion', 'kind', 'metadata', 'spec'];
// Each list is in the order the L1 conversion emits these fields (the schema's order).
const META_KEYS = ['annotations', 'labels', 'name', 'namespace'];
const SERVICE_SPEC_KEYS = ['ports', 'selector', 'type'];
const SERVICE_PORT_KEYS = ['name', 'port', 'protocol', 'targetPort'];
const PDB_SPEC_KEYS = ['maxUnavailable', 'minAvailable', 'selector'];
const LABEL_SELECTOR_KEYS = ['matchLabels'];

/** What `{...GVK, ...toJson_KubeServiceProps(r)}` gives, or undefined when `r` has other fields. */
function serviceJson(r: Json): Json | undefined {
  const metadata = objectMeta(r);
  const spec = r.spec;
  if (metadata === undefined || !hasOnly(spec, SERVICE_SPEC_KEYS)) return undefined;
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
  return { apiVersion: SERVICE_GVK.apiVersion, kind: SERVICE_GVK.kind, metadata, spec: specJson };
}

/** What `{...GVK, ...toJson_KubePodDisruptionBudgetProps(r)}` gives, or undefined when `r` has other fields. */
function pdbJson(r: Json): Json | undefined {
  const metadata = objectMeta(r);
  const spec = r.spec;
  if (metadata === undefined || !hasOnly(spec, PDB_SPEC_KEYS)) return undefined;
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
  return { apiVersion: PDB_GVK.apiVersion, kind: PDB_GVK.kind, metadata, spec: specJson };
}

/** `toJson_ObjectMeta(r.metadata)` when `r` has exactly the top-level fields and `metadata` only the four above. */
function objectMeta(r: Json): Json | undefined {
  const keys = Object.keys(r);
  if (keys.length !== TOP_KEYS.length || !TOP_KEYS.every((k) => k in r)) return undefined;
  const m = r.metadata;
  if (!hasOnly(m, META_KEYS)) return undefined;
  const annotations = mapOf(m.annotations);
  const labels = mapOf(m.labels);
  if (annotations === null || labels === null) return undefined;
  const out: Json = {};
  put(out, 'annotations', annotations);
  put(out, 'labels', labels);
  put(out, 'name', m.name);
  put(out, 'namespace', m.namespace);
  return out;
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

/** The L1's `obj.x?.value` for IntOrString fields. */
function intOrString(value: unknown): unknown {
  return (value as { value?: unknown } | null | undefined)?.value;
}

/** Sets `key` unless `value` is undefined (the L1's undefined filter). */
function put(out: Json, key: string, value: unknown): void {
  if (value !== undefined) out[key] = value;
}
