import { ApiObject, Chart } from 'cdk8s';
import type { IConstruct } from 'constructs';

/**
 * One synthesis call (`App.synth()`, `App.synthYaml()` or `Chart.toJson()`), during which no user
 * code runs between cdk8s validating the tree and rendering it. Inside a pass, the synth-time lint
 * renders each API object once and the render it linted is the very object cdk8s writes.
 */
class SynthPass {
  /** ApiObject -> its rendered JSON (rendered once, by the lint's validation). */
  readonly renders = new Map<ApiObject, unknown>();
  /** Memoized results of validations run more than once in the pass (App.synth validates twice). */
  readonly results = new Map<object, string[]>();
}

let current: SynthPass | undefined;

/** Our wrapper of an object's own `toJson`, with the function it wraps. */
type RenderWrapper = (() => unknown) & { readonly [WRAPPED]: () => unknown };
const WRAPPED = Symbol('cdk8s-canary.wrappedToJson');
const hooked = new WeakSet<object>();

/**
 * Renders `object` as cdk8s would (`toJson()`). During a synth pass the render is kept, and the
 * object's own `toJson()` returns that same JSON for the rest of the pass, so cdk8s writes exactly
 * what the lint saw and each object is rendered once. Outside a pass it is a plain `toJson()`.
 */
export function renderForLint(object: ApiObject): unknown {
  const pass = current;
  if (!pass) return object.toJson();
  if (pass.renders.has(object)) return pass.renders.get(object);
  const own = object.toJson as Partial<RenderWrapper> & (() => unknown);
  const render = own[WRAPPED] ?? own;
  const json = render.call(object);
  pass.renders.set(object, json);
  if (own[WRAPPED] === undefined) {
    const wrapper = function (this: ApiObject): unknown {
      const active = current;
      if (active?.renders.has(this)) return active.renders.get(this);
      return render.call(this);
    };
    Object.defineProperty(wrapper, WRAPPED, { value: render });
    Object.defineProperty(object, 'toJson', { value: wrapper, writable: true, configurable: true, enumerable: false });
  }
  return json;
}

/**
 * Runs `validate` once per synth pass: cdk8s's `App.synth()` runs every validation twice (before
 * synthesizing and again in `Chart.toJson()`), over the same tree. Outside a pass it always runs.
 */
export function oncePerPass(key: object, validate: () => string[]): string[] {
  const pass = current;
  if (!pass) return validate();
  let result = pass.results.get(key);
  if (!result) pass.results.set(key, (result = validate()));
  return [...result];
}

/**
 * Makes the synthesis calls that cover `scope` open a synth pass: `synth()` and `synthYaml()` of
 * the root App and `toJson()` of the Chart `scope` belongs to (each wrapped once, on the instance,
 * calling the method it replaces). Calls not wrapped (e.g. a nested chart's `toJson()` on its own)
 * still work, they just lint a separate render.
 */
export function openSynthPasses(scope: IConstruct): void {
  const root = scope.node.root as unknown as Record<string, unknown>;
  wrap(root, 'synth');
  wrap(root, 'synthYaml');
  const chart = nearestChart(scope);
  if (chart) wrap(chart as unknown as Record<string, unknown>, 'toJson');
}

function nearestChart(scope: IConstruct): Chart | undefined {
  for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
    if (Chart.isChart(c)) return c;
  }
  return undefined;
}

function wrap(target: Record<string, unknown>, method: string): void {
  const original = target[method];
  if (typeof original !== 'function' || hooked.has(original)) return;
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    if (current) return (original as (...a: unknown[]) => unknown).apply(this, args);
    current = new SynthPass();
    try {
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } finally {
      current = undefined;
    }
  };
  hooked.add(wrapper);
  Object.defineProperty(target, method, { value: wrapper, writable: true, configurable: true, enumerable: false });
}

/** True while a synth pass is open (for tests). */
export function inSynthPass(): boolean {
  return current !== undefined;
}
