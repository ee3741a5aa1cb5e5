import { ApiObject, App, Chart, Duration, JsonPatch } from 'cdk8s';
import { CanaryApp, type CanaryAppProps } from '../constructs/canary-app';
import { CanaryAppError } from '../constructs/canary-app-error';
import { HpaMetric } from '../constructs/autoscaling';
import { StepProfile } from '../constructs/step-profile';
import { SERVER_SET_METADATA_FIELDS } from '../constructs/workload-input';
import { API_VERSIONS } from '../model/argo-defaults';
import { hpaMinReplicasOrDefault } from '../model/manifests';
import { CANARY_APP_DEFAULTS } from '../constructs/defaults';
import { type ExistingApp, readExistingApp } from './existing-app';
import { jsonPatchDiff, type JsonPatchOp, pointerValue } from './json-patch-diff';
import { plainEqual } from '../runtime/plain-equal';
import { MigrationError } from './migration-error';
import {
  asArray,
  asRecord,
  cloneJson,
  describeSource,
  getPath,
  type ManifestObject,
  refOf,
  type SourcedManifest,
} from './manifest-object';

/** The two step profiles of the write-up. */
export type ConvertProfile = 'automatic' | 'manual';

/** Options of `convertExistingApp`. */
export interface ConvertOptions {
  /**
   * Step profile of the Rollout.
   * @default 'automatic'
   */
  readonly profile?: ConvertProfile;
  /** Deployment to convert when the input holds several. @default - the only one */
  readonly deployment?: string;
  /** Module the TypeScript snippet imports CanaryApp from. @default 'cdk8s-canary' */
  readonly importFrom?: string;
}

/** Which rendered object a JSON patch applies to (a `CanaryApp` property). */
export type PatchedObject = 'deployment' | 'stableService' | 'canaryService' | 'rootService' | 'virtualService' | 'hpa' | 'rollout';

/** Fields `CanaryApp` has no prop for, kept with a JSON patch on the rendered object. */
export interface PreservedFields {
  readonly object: PatchedObject;
  readonly ref: string;
  readonly ops: readonly JsonPatchOp[];
}

/** What `convertExistingApp` returns. */
export interface ConvertResult {
  readonly existing: ExistingApp;
  /** The props given to `CanaryApp`. */
  readonly props: CanaryAppProps;
  /** Fields of the originals kept with JSON patches. */
  readonly preserved: readonly PreservedFields[];
  /** The full canary set (CanaryApp's objects, patched, then the passed-through inputs). */
  readonly objects: readonly ManifestObject[];
  /** TypeScript that reproduces `objects` with `CanaryApp`. */
  readonly snippet: string;
  /** One line per thing the user should know: passed-through input, patched fields, dropped server fields. */
  readonly report: readonly string[];
}

/** Chart id (and output file stem) of a converted app. */
export function chartIdOf(appName: string): string {
  return appName;
}

/**
 * Converts an existing app (Deployment, Service, HPA, VirtualService manifests) into the full
 * canary set, keeping every field of the originals: what `CanaryApp` cannot express through its
 * props is kept with a JSON patch (and listed in the report); objects that are not part of the
 * app are passed through unchanged (and listed); only `status` and server-set metadata are
 * dropped (and listed). Also returns a TypeScript snippet that reproduces the set with `CanaryApp`.
 */
export function convertExistingApp(manifests: readonly SourcedManifest[], options: ConvertOptions = {}): ConvertResult {
  const report: string[] = [];
  const cleaned = manifests.map((m) => ({ ...m, object: withoutServerFields(m.object, describeSource(m), report) }));
  const existing = readExistingApp(cleaned, { deployment: options.deployment });
  const profile = options.profile ?? 'automatic';
  const { props, code } = propsOf(existing, profile);

  const passThrough = existing.others.map((o) => o.object);
  const rendered = render(props, [], passThrough);
  const expected = expectedObjects(existing, rendered);
  const preserved: PreservedFields[] = [];
  for (const [object, want] of Object.entries(expected) as [PatchedObject, ManifestObject | undefined][]) {
    const got = rendered.byProp[object];
    if (!want || !got) continue;
    const ops = jsonPatchDiff(got, want);
    if (ops.length > 0) preserved.push({ object, ref: refOf(want), ops });
  }
  const final = preserved.length > 0 ? render(props, preserved, passThrough) : rendered;
  report.push(...patchNotes(existing, preserved, expected, final));
  report.push(...changeNotes(existing, rendered.app, props));
  for (const o of existing.others) report.push(`${describeSource(o)}: not part of the app, passed through unchanged`);
  report.push(...existing.notes.filter((n) => !/is not part of the migration/.test(n)));
  const objects = final.objects;
  const snippet = renderSnippet(existing, code, preserved, passThrough, options.importFrom ?? 'cdk8s-canary');
  return { existing, props, preserved, objects, snippet, report };
}

/**
 * One note per JSON patch operation, written only after checking the final render: a field is
 * reported kept only when the output holds it. Anything the patches did not achieve is a bug of
 * this code, not of the input, and stops the conversion instead of writing a wrong Service.
 */
function patchNotes(
  existing: ExistingApp,
  preserved: readonly PreservedFields[],
  expected: Partial<Record<PatchedObject, ManifestObject>>,
  final: Rendered,
): string[] {
  for (const [object, want] of Object.entries(expected) as [PatchedObject, ManifestObject | undefined][]) {
    const got = final.byProp[object];
    const missed = want && got ? jsonPatchDiff(got, want) : [];
    if (missed.length > 0) {
      throw new Error(`convert: ${refOf(want!)} does not hold ${missed.map((o) => o.path).join(', ')} after its JSON patch; nothing was written`);
    }
  }
  const source = refOf(existing.service);
  const keptFrom = (input: ManifestObject | undefined) => (op: JsonPatchOp) => keptNote(op, input);
  const why: Record<PatchedObject, (op: JsonPatchOp) => string> = {
    deployment: keptFrom(existing.deployment),
    stableService: keptFrom(existing.service),
    virtualService: keptFrom(existing.virtualService),
    hpa: keptFrom(existing.hpa),
    canaryService: (op) => `${op.path} copied from ${source} with a JSON patch (every port; CanaryApp's service props describe the routed one)`,
    rootService: (op) => `${op.path} copied from ${source} with a JSON patch (every port; CanaryApp's service props describe the routed one)`,
    rollout: (op) => `${op.path} taken from ${refOf(existing.deployment)} with a JSON patch (CanaryApp has no prop for it)`,
  };
  return preserved.flatMap((p) => p.ops.map((op) => `${p.ref}: ${why[p.object](op)}`));
}

/** "kept" only when the patch writes the input's own value; else it writes the input changed as the canary needs. */
function keptNote(op: JsonPatchOp, input: ManifestObject | undefined): string {
  if (op.op === 'remove') return `${op.path} removed with a JSON patch (CanaryApp renders it; the input has none)`;
  if (plainEqual(op.value, pointerValue(input, op.path))) return `${op.path} kept with a JSON patch (CanaryApp has no prop for it)`;
  return `${op.path} written with a JSON patch: the input's fields there, with the canary's changes listed below`;
}

/** The changes the canary needs, named field by field (the input's value is not in the output there). */
function changeNotes(existing: ExistingApp, app: CanaryApp, props: CanaryAppProps): string[] {
  const notes: string[] = [];
  const dep = refOf(existing.deployment);
  const rollout = `Rollout/${app.names.rollout}`;
  const replicas = getPath(existing.deployment, 'spec', 'replicas');
  notes.push(
    `${dep}: /spec/replicas ${replicas === undefined ? '(unset)' : JSON.stringify(replicas)} -> ${CANARY_APP_DEFAULTS.workloadReplicas}: ` +
      (existing.hpa ? `${rollout} runs the pods, scaled by ${refOf(existing.hpa)}` : `${rollout} runs the pods (spec.replicas ${app.replicas})`),
  );
  if (existing.hpa) {
    const target = existing.hpaFields?.scaleTargetRef ?? {};
    notes.push(`${refOf(existing.hpa)}: /spec/scaleTargetRef ${String(target.kind)}/${String(target.name)} -> ${rollout}`);
  }
  const route = asRecord(asArray(getPath(existing.virtualService, 'spec', 'http'))?.[existing.routeIndex]) ?? {};
  notes.push(
    `${refOf(existing.virtualService)}: /spec/http/${existing.routeIndex}/route now splits between ${existing.service.metadata.name} (weight 100) and ` +
      `${app.names.canaryService} (weight 0)${typeof route.name === 'string' ? '' : `; the route is named ${CANARY_APP_DEFAULTS.routeName} (${rollout} lists it)`}`,
  );
  if (getPath(existing.deployment, 'spec', 'minReadySeconds') === undefined) {
    const seconds = props.minReady ? props.minReady.toSeconds() : CANARY_APP_DEFAULTS.minReadySeconds;
    notes.push(`${rollout}: /spec/minReadySeconds is ${seconds} (CanaryApp's default; ${dep} has none, which Kubernetes reads as 0)`);
  }
  return notes;
}

function withoutServerFields(object: ManifestObject, where: string, report: string[]): ManifestObject {
  const copy = cloneJson(object) as ManifestObject & Record<string, unknown>;
  const dropped: string[] = [];
  if ('status' in copy) {
    delete copy.status;
    dropped.push('status');
  }
  const metadata = { ...copy.metadata } as Record<string, unknown>;
  for (const f of SERVER_SET_METADATA_FIELDS) {
    if (f in metadata) {
      delete metadata[f];
      dropped.push(`metadata.${f}`);
    }
  }
  if (dropped.length > 0) report.push(`${where}: dropped server-set ${dropped.join(', ')}`);
  return { ...copy, metadata } as ManifestObject;
}

interface Rendered {
  readonly app: CanaryApp;
  readonly objects: ManifestObject[];
  readonly byProp: Partial<Record<PatchedObject, ManifestObject>>;
}

function render(props: CanaryAppProps, preserved: readonly PreservedFields[], passThrough: readonly ManifestObject[]): Rendered {
  const app = new App({ outdir: 'unused' });
  const chart = new Chart(app, chartIdOf(props.name), { disableResourceNameHashes: true });
  let canary: CanaryApp;
  try {
    canary = new CanaryApp(chart, props.name, props);
  } catch (err) {
    if (err instanceof CanaryAppError) throw new MigrationError('the converted props are not valid CanaryApp props', err.lines);
    throw err;
  }
  for (const p of preserved) {
    const target = canary[p.object];
    if (!target) throw new Error(`CanaryApp rendered no ${p.object}`);
    target.addJsonPatch(...p.ops.map(toCdk8sPatch));
  }
  for (const o of passThrough) new ApiObject(chart, `${o.kind}-${o.metadata.name}`, cloneJson(o) as ConstructorParameters<typeof ApiObject>[2]);
  const objects = chart.toJson() as ManifestObject[];
  const find = (o: ApiObject | undefined): ManifestObject | undefined =>
    o ? objects.find((x) => x.kind === o.kind && x.metadata.name === o.name) : undefined;
  return {
    app: canary,
    objects,
    byProp: {
      deployment: find(canary.deployment),
      stableService: find(canary.stableService),
      canaryService: find(canary.canaryService),
      rootService: find(canary.rootService),
      virtualService: find(canary.virtualService),
      hpa: find(canary.hpa),
      rollout: find(canary.rollout),
    },
  };
}

function toCdk8sPatch(op: JsonPatchOp): JsonPatch {
  if (op.op === 'remove') return JsonPatch.remove(op.path);
  return op.op === 'add' ? JsonPatch.add(op.path, op.value) : JsonPatch.replace(op.path, op.value);
}

/** Rollout spec fields a Deployment also has: the Rollout takes the Deployment's value (both default alike when unset). */
const ROLLOUT_FIELDS_FROM_DEPLOYMENT = ['progressDeadlineSeconds', 'revisionHistoryLimit'] as const;

/** What the converted objects must look like: the originals, changed only where the canary needs it. */
function expectedObjects(existing: ExistingApp, rendered: Rendered): Partial<Record<PatchedObject, ManifestObject>> {
  const app = rendered.app;
  const deployment = cloneJson(existing.deployment) as ManifestObject & { spec: Record<string, unknown> };
  deployment.spec = { ...deployment.spec, replicas: CANARY_APP_DEFAULTS.workloadReplicas };

  const vs = cloneJson(existing.virtualService) as ManifestObject & { spec: { http: Record<string, unknown>[] } };
  const route = vs.spec.http[existing.routeIndex];
  const stableDest = cloneJson(asRecord(asArray(route.route)![0])!);
  const port = getPath(stableDest, 'destination', 'port');
  const canaryDest: Record<string, unknown> = { destination: { host: app.names.canaryService, ...(port !== undefined ? { port } : {}) }, weight: 0 };
  vs.spec.http[existing.routeIndex] = {
    ...route,
    name: typeof route.name === 'string' ? route.name : CANARY_APP_DEFAULTS.routeName,
    route: [{ ...stableDest, weight: 100 }, canaryDest],
  };

  let hpa: ManifestObject | undefined;
  if (existing.hpa) {
    const h = cloneJson(existing.hpa) as ManifestObject & { spec: Record<string, unknown> };
    h.spec = { ...h.spec, scaleTargetRef: { apiVersion: API_VERSIONS.rollout, kind: 'Rollout', name: app.names.rollout } };
    hpa = h;
  }
  // The canary and root Services carry every port of the stable one (a NodePort belongs to the
  // stable Service alone: these two are ClusterIP Services).
  const ports = (asArray(getPath(existing.service, 'spec', 'ports')) ?? []).map((p) => {
    const { nodePort: _nodePort, ...rest } = asRecord(p) ?? {};
    return rest;
  });
  const withPorts = (o: ManifestObject | undefined): ManifestObject | undefined =>
    o && { ...cloneJson(o), spec: { ...(asRecord(o.spec) ?? {}), ports: cloneJson(ports) } };

  let rollout = rendered.byProp.rollout;
  for (const field of ROLLOUT_FIELDS_FROM_DEPLOYMENT) {
    const value = deployment.spec[field];
    if (value !== undefined && rollout) rollout = { ...rollout, spec: { ...(asRecord(rollout.spec) ?? {}), [field]: value } };
  }
  return {
    deployment,
    stableService: existing.service,
    canaryService: withPorts(rendered.byProp.canaryService),
    rootService: withPorts(rendered.byProp.rootService),
    virtualService: vs,
    hpa,
    rollout,
  };
}

/** A value and the TypeScript that builds it. */
interface Coded<T> {
  readonly value: T;
  readonly code: string;
}

function literal<T>(value: T): Coded<T> {
  return { value, code: JSON.stringify(value, null, 2) };
}

function durationOf(text: unknown): Coded<Duration> | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = { ms: 'millis', s: 'seconds', m: 'minutes', h: 'hours' }[m[2] as 'ms' | 's' | 'm' | 'h'] as 'millis' | 'seconds' | 'minutes' | 'hours';
  return { value: Duration[unit](n), code: `Duration.${unit}(${n})` };
}

function metricOf(spec: unknown): Coded<HpaMetric> | undefined {
  const type = getPath(spec, 'type');
  if (type === 'Pods') return podsMetricOf(spec);
  if (type === 'Resource') {
    const name = getPath(spec, 'resource', 'name');
    const t = asRecord(getPath(spec, 'resource', 'target')) ?? {};
    const res = name === 'cpu' ? 'cpu' : name === 'memory' ? 'memory' : undefined;
    if (!res) return undefined;
    const R = res === 'cpu' ? 'cpu' : 'memory';
    if (t.type === 'Utilization' && typeof t.averageUtilization === 'number') {
      const fn = R === 'cpu' ? 'cpuUtilization' : 'memoryUtilization';
      return { value: HpaMetric[fn](t.averageUtilization), code: `HpaMetric.${fn}(${t.averageUtilization})` };
    }
    if (t.type === 'AverageValue' && typeof t.averageValue === 'string') {
      const fn = R === 'cpu' ? 'cpuAverageValue' : 'memoryAverageValue';
      return { value: HpaMetric[fn](t.averageValue), code: `HpaMetric.${fn}(${JSON.stringify(t.averageValue)})` };
    }
  }
  return undefined;
}

/** A `type: Pods` metric with an AverageValue target (the only target a Pods metric takes) and no selector. */
function podsMetricOf(spec: unknown): Coded<HpaMetric> | undefined {
  const name = getPath(spec, 'pods', 'metric', 'name');
  const t = asRecord(getPath(spec, 'pods', 'target')) ?? {};
  const exact = Object.keys(asRecord(getPath(spec, 'pods', 'metric')) ?? {}).length === 1;
  if (typeof name !== 'string' || !exact || t.type !== 'AverageValue' || typeof t.averageValue !== 'string') return undefined;
  return { value: HpaMetric.pods(name, t.averageValue), code: `HpaMetric.pods(${JSON.stringify(name)}, ${JSON.stringify(t.averageValue)})` };
}

/** CanaryApp props reproducing the existing app (what they cannot say is patched afterwards). */
function propsOf(existing: ExistingApp, profile: ConvertProfile): { props: CanaryAppProps; code: string } {
  const entries: [string, Coded<unknown>][] = [];
  entries.push(['name', literal(existing.appName)]);
  entries.push(['deployment', literal(cloneJson(existing.deployment))]);
  entries.push(...scaleEntries(existing));
  entries.push(['steps', { value: profile === 'manual' ? StepProfile.manual() : StepProfile.automatic(), code: `StepProfile.${profile}()` }]);
  entries.push(['service', serviceProps(existing)]);
  const minReady = getPath(existing.deployment, 'spec', 'minReadySeconds');
  if (typeof minReady === 'number') entries.push(['minReady', { value: Duration.seconds(minReady), code: `Duration.seconds(${minReady})` }]);
  entries.push(['virtualService', virtualServiceProps(existing)]);
  entries.push(['rootService', literal(true)]);

  const names: Record<string, string> = {
    stableService: existing.service.metadata.name,
    virtualService: existing.virtualService.metadata.name,
  };
  if (existing.hpa) names.hpa = existing.hpa.metadata.name;
  entries.push(['names', literal(names)]);

  const props = Object.fromEntries(entries.map(([k, v]) => [k, v.value])) as unknown as CanaryAppProps;
  const code = ['{', ...entries.map(([k, v]) => `  ${k}: ${indent(v.code, '  ')},`), '}'].join('\n');
  return { props, code };
}

/** `autoscaling` (from the HPA) or `replicas`, and `minPodsPerReplicaSet` when the app has fewer pods than its default. */
function scaleEntries(existing: ExistingApp): [string, Coded<unknown>][] {
  const entries: [string, Coded<unknown>][] = [];
  const hpa = existing.hpa;
  if (hpa) {
    const metrics = (asArray(getPath(hpa, 'spec', 'metrics')) ?? []).map(metricOf);
    const mapped = metrics.length > 0 && metrics.every((m) => m !== undefined) ? (metrics as Coded<HpaMetric>[]) : undefined;
    const max = existing.hpaFields?.maxReplicas;
    const value = {
      minReplicas: hpaMinReplicasOrDefault(existing.hpaFields ?? {}),
      ...(max !== undefined ? { maxReplicas: max } : {}),
      ...(mapped ? { metrics: mapped.map((m) => m.value) } : {}),
    };
    const code = [
      '{',
      `  minReplicas: ${value.minReplicas},`,
      ...(value.maxReplicas !== undefined ? [`  maxReplicas: ${value.maxReplicas},`] : []),
      ...(mapped ? [`  metrics: [${mapped.map((m) => m.code).join(', ')}],`] : []),
      '}',
    ].join('\n');
    entries.push(['autoscaling', { value, code }]);
  } else {
    entries.push(['replicas', literal(existing.replicas ?? 1)]);
  }
  const fewest = hpa ? hpaMinReplicasOrDefault(existing.hpaFields ?? {}) : (existing.replicas ?? 1);
  if (fewest < CANARY_APP_DEFAULTS.minPodsPerReplicaSet) entries.push(['minPodsPerReplicaSet', literal(fewest)]);
  return entries;
}

/** `service`: the routed port of the existing Service. */
function serviceProps(existing: ExistingApp): Coded<unknown> {
  const port = routedPort(existing);
  return literal({
    ...(typeof port.port === 'number' ? { port: port.port } : {}),
    // Kubernetes sends an unset targetPort to the Service port's number.
    ...(port.targetPort !== undefined || typeof port.port === 'number' ? { targetPort: (port.targetPort ?? port.port) as string | number } : {}),
    ...(typeof port.name === 'string' ? { portName: port.name } : {}),
  });
}

/** `virtualService`: hosts, gateways and the routed http route's name, match, timeout and retries. */
function virtualServiceProps(existing: ExistingApp): Coded<unknown> {
  const vsSpec = asRecord(getPath(existing.virtualService, 'spec')) ?? {};
  const route = asRecord(asArray(vsSpec.http)![existing.routeIndex]) ?? {};
  const vsValue: Record<string, unknown> = { hosts: cloneJson(vsSpec.hosts) };
  const vsCode: string[] = [`  hosts: ${JSON.stringify(vsSpec.hosts)},`];
  if (Array.isArray(vsSpec.gateways) && vsSpec.gateways.length > 0) {
    vsValue.gateways = cloneJson(vsSpec.gateways);
    vsCode.push(`  gateways: ${JSON.stringify(vsSpec.gateways)},`);
  }
  if (typeof route.name === 'string') {
    vsValue.routeName = route.name;
    vsCode.push(`  routeName: ${JSON.stringify(route.name)},`);
  }
  if (Array.isArray(route.match) && route.match.length > 0) {
    vsValue.match = cloneJson(route.match);
    vsCode.push(`  match: ${JSON.stringify(route.match)},`);
  }
  const timeout = durationOf(route.timeout);
  if (timeout) {
    vsValue.timeout = timeout.value;
    vsCode.push(`  timeout: ${timeout.code},`);
  }
  const retries = retriesOf(asRecord(route.retries));
  if (retries) {
    vsValue.retries = retries.value;
    vsCode.push(`  retries: ${retries.code},`);
  }
  return { value: vsValue, code: ['{', ...vsCode, '}'].join('\n') };
}

/** The route's `retries` as the VirtualService prop, when it has a number of attempts. */
function retriesOf(retries: Record<string, unknown> | undefined): Coded<unknown> | undefined {
  if (!retries || typeof retries.attempts !== 'number') return undefined;
  const perTry = durationOf(retries.perTryTimeout);
  const value = {
    attempts: retries.attempts,
    ...(perTry ? { perTryTimeout: perTry.value } : {}),
    ...(typeof retries.retryOn === 'string' ? { retryOn: retries.retryOn } : {}),
  };
  const parts = [`attempts: ${retries.attempts}`];
  if (perTry) parts.push(`perTryTimeout: ${perTry.code}`);
  if (typeof retries.retryOn === 'string') parts.push(`retryOn: ${JSON.stringify(retries.retryOn)}`);
  return { value, code: `{ ${parts.join(', ')} }` };
}

/**
 * The Service port the VirtualService route sends traffic to (its destination's `port.number`),
 * else the Service's first port (Istio then needs the Service to have one port).
 */
function routedPort(existing: ExistingApp): Record<string, unknown> {
  const ports = (asArray(getPath(existing.service, 'spec', 'ports')) ?? []).map((p) => asRecord(p) ?? {});
  const route = asRecord(asArray(getPath(existing.virtualService, 'spec', 'http'))?.[existing.routeIndex]);
  const number = getPath(asArray(route?.route)?.[0], 'destination', 'port', 'number');
  return ports.find((p) => p.port === number) ?? ports[0] ?? {};
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l, i) => (i === 0 ? l : prefix + l))
    .join('\n');
}

function functionName(appName: string): string {
  return `add${appName.replace(/(^|[^a-zA-Z0-9])([a-zA-Z0-9])/g, (_, __, c: string) => c.toUpperCase()).replace(/[^a-zA-Z0-9]/g, '')}`;
}

function patchCode(op: JsonPatchOp): string {
  if (op.op === 'remove') return `JsonPatch.remove(${JSON.stringify(op.path)})`;
  return `JsonPatch.${op.op}(${JSON.stringify(op.path)}, ${JSON.stringify(op.value)})`;
}

function renderSnippet(
  existing: ExistingApp,
  propsCode: string,
  preserved: readonly PreservedFields[],
  passThrough: readonly ManifestObject[],
  importFrom: string,
): string {
  const fn = functionName(existing.appName);
  const usesDuration = /Duration\./.test(propsCode);
  const usesMetric = /HpaMetric\./.test(propsCode);
  const cdk8sImports = ['App', 'Chart', ...(passThrough.length ? ['ApiObject'] : []), ...(usesDuration ? ['Duration'] : []), ...(preserved.length ? ['JsonPatch'] : [])].sort();
  const lines = [
    `// Generated by cdk8s-canary convert from ${refOf(existing.deployment)} and its objects.`,
    '// Synthesizes the same canary set as the converted YAML (cdk8s synth, or run this file).',
    `import { ${cdk8sImports.join(', ')} } from 'cdk8s';`,
    `import { ${['CanaryApp', ...(usesMetric ? ['HpaMetric'] : []), 'StepProfile'].join(', ')} } from '${importFrom}';`,
    '',
    `/** Adds ${existing.appName} as a canary to \`chart\`. */`,
    `export function ${fn}(chart: Chart): CanaryApp {`,
    `  const app = new CanaryApp(chart, ${JSON.stringify(existing.appName)}, ${indent(propsCode, '  ')});`,
  ];
  for (const p of preserved) {
    lines.push(`  // ${p.ref}: fields CanaryApp has no prop for, kept as they were.`);
    lines.push(`  app.${p.object}!.addJsonPatch(`);
    for (const op of p.ops) lines.push(`    ${patchCode(op)},`);
    lines.push('  );');
  }
  passThrough.forEach((o) => {
    lines.push(`  // ${refOf(o)}: not part of the canary, kept unchanged.`);
    lines.push(`  new ApiObject(chart, ${JSON.stringify(`${o.kind}-${o.metadata.name}`)}, ${indent(JSON.stringify(o, null, 2), '  ')});`);
  });
  lines.push('  return app;', '}', '');
  lines.push(
    'if (require.main === module) {',
    '  const app = new App();',
    `  ${fn}(new Chart(app, ${JSON.stringify(chartIdOf(existing.appName))}, { disableResourceNameHashes: true }));`,
    '  app.synth();',
    '}',
    '',
  );
  return lines.join('\n');
}
