/**
 * The Services and PodDisruptionBudgets CanaryApp renders: the output of `k8s.KubeService` and
 * `k8s.KubePodDisruptionBudget`, with a cheaper construction and `toJson`.
 *
 * The L1s render by resolving the object as every ApiObject does, then converting the result
 * again with the generated `toJson_*Props`, whose undefined filter re-spreads every object once
 * per key: ~15 µs per object, more than the rest of the Service's rendering. When the resolved
 * object has only the fields CanaryApp renders (so the conversion would only reorder them to the
 * schema's order, unwrap the IntOrString values and drop undefined), `toJson` builds that result
 * directly. Anything else (a JSON patch or `metadata.add` that added a field) goes through the
 * L1's own conversion, so the output is the L1's in every case.
 *
 * Both kinds are instances of ONE class extending `ApiObject` directly (not of the L1 classes nor
 * of a class per kind): every construct class is one more hidden class at the property accesses
 * of constructs' and cdk8s's code (Construct, Node, ApiObject, synth), and with the two L1
 * subclasses a CanaryApp process had six, past V8's four-map polymorphic limit; the L1
 * constructors also copied the props with `{ ...GVK, ...props }`. `instanceof k8s.KubeService`
 * still holds: cdk8s's `ApiObject[Symbol.hasInstance]` (inherited by the L1s) accepts any ApiObject.
 */
import { ApiObject, type ApiObjectMetadata } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';

type Json = Record<string, unknown>;

// The L1 output starts with `...GVK`: these objects have exactly apiVersion and kind.
const SERVICE_GVK = k8s.KubeService.GVK;
const PDB_GVK = k8s.KubePodDisruptionBudget.GVK;

/** The one class behind `serviceObject` and `pdbObject`; `kind` picks the L1 it renders as. */
class KubeObject extends ApiObject {
  public override toJson(): any {
    const resolved = super.toJson();
    if (this.kind === SERVICE_GVK.kind) {
      return serviceJson(resolved) ?? { ...SERVICE_GVK, ...k8s.toJson_KubeServiceProps(resolved) };
    }
    return pdbJson(resolved) ?? { ...PDB_GVK, ...k8s.toJson_KubePodDisruptionBudgetProps(resolved) };
  }
}

/** Adds a Service that renders as `k8s.KubeService` would (cheaper to build and synthesize). */
export function serviceObject(scope: Construct, id: string, props: k8s.KubeServiceProps): ApiObject {
  return new KubeObject(scope, id, { ...SERVICE_GVK, metadata: props.metadata as ApiObjectMetadata | undefined, spec: props.spec });
}

/** Adds a PodDisruptionBudget that renders as `k8s.KubePodDisruptionBudget` would (cheaper to build and synthesize). */
export function pdbObject(scope: Construct, id: string, props: k8s.KubePodDisruptionBudgetProps): ApiObject {
  return new KubeObject(scope, id, { ...PDB_GVK, metadata: props.metadata as ApiObjectMetadata | undefined, spec: props.spec });
}

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
