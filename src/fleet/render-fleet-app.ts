import { ApiObject, App, Chart, ChartProps, DependencyGraph, IResolver, Names } from 'cdk8s';
import { toYamlDocuments } from '../model/yaml-text';

/** Builds one app of a fleet: adds its constructs to the chart it is given (TypeScript only: a function). */
export type FleetAppBuilder = (chart: Chart) => void;

/** One app of a fleet, as registered with `CanaryFleet.addApp()`. */
export interface FleetAppDefinition {
  /** Construct id of the app's chart; it names the output file, as in `cdk8s synth`. */
  readonly id: string;
  /** Adds the app's constructs to its chart. */
  readonly build: FleetAppBuilder;
  /**
   * Props of the app's chart (namespace, labels, disableResourceNameHashes).
   * @default - no props, as `new Chart(app, id)`
   */
  readonly chartProps?: ChartProps;
}

/** How an app is rendered; the fleet passes the same options to every app. */
export interface RenderFleetAppOptions {
  /**
   * Extension of the output file.
   * @default '.k8s.yaml'
   */
  readonly outputFileExtension?: string;
  /**
   * Custom cdk8s resolvers, given to the app's own `App` (before the built-in ones).
   * @default - the built-in resolvers only
   */
  readonly resolvers?: IResolver[];
  /**
   * Also return each API object's name and construct path (cdk8s's `construct-metadata.json`).
   * @default false
   */
  readonly recordConstructMetadata?: boolean;
}

/** One app rendered to YAML. */
export interface RenderedFleetApp {
  /** The app's id. */
  readonly id: string;
  /** File name (no directory), as `cdk8s synth` names the chart's file. */
  readonly fileName: string;
  /** The file's content, byte-identical to what `App.synth()` writes for this chart. */
  readonly yaml: string;
  /** Each API object's name and construct path, in output order (empty unless `recordConstructMetadata`). */
  readonly resources: FleetResource[];
}

/** One API object of a rendered fleet app (an entry of cdk8s's `construct-metadata.json`). */
export interface FleetResource {
  /** The API object's `metadata.name`. */
  readonly name: string;
  /** Its construct path, e.g. `web/app/rollout`. */
  readonly path: string;
}

/**
 * Renders one app of a fleet in its own cdk8s `App`.
 *
 * Why an `App` per app: cdk8s's `App.synth()` renders each chart with `chart.toJson()`, and every
 * `toJson()` call resolves dependencies and runs validation over the WHOLE app
 * (`App._synthChart` -> `resolveDependencies(app)` + `validate(app)`), so N charts in one App cost
 * O(N^2). Giving each app its own root keeps every cdk8s step (validation, dependency ordering,
 * naming, YAML formatting) exactly as cdk8s does it, scoped to that one app, in O(size of the app).
 *
 * It has no side effects (no fs): the app's construct tree is dropped when this returns.
 * Throws, naming the app, if the builder or cdk8s validation fails, if the app creates nested
 * charts (they would need files of their own) or depends on constructs outside its own app.
 */
export function renderFleetApp(def: FleetAppDefinition, options: RenderFleetAppOptions = {}): RenderedFleetApp {
  const app = new App({ outdir: '.', recordConstructMetadata: false, resolvers: options.resolvers });
  const chart = new Chart(app, def.id, def.chartProps);
  def.build(chart);
  checkSelfContained(def.id, chart, app);
  const docs = chart.toJson();
  const resources = options.recordConstructMetadata
    ? apiObjectsInOutputOrder(chart).map((o) => ({ name: o.name, path: o.node.path }))
    : [];
  return {
    id: def.id,
    fileName: Names.toDnsLabel(chart) + (options.outputFileExtension ?? '.k8s.yaml'),
    yaml: toYamlDocuments(docs),
    resources,
  };
}

/** A fleet app must render into exactly one file and must not reach into another app. */
function checkSelfContained(id: string, chart: Chart, app: App): void {
  for (const c of chart.node.findAll()) {
    if (c !== chart && Chart.isChart(c)) {
      throw new Error(
        `app '${id}': nested chart '${c.node.path}' is not supported in a fleet (one file per app); ` +
          'add its objects to the app\'s chart, or use a plain Construct to group them',
      );
    }
    for (const dep of c.node.dependencies) {
      if (dep.node.root !== app) {
        throw new Error(
          `app '${id}': '${c.node.path}' depends on '${dep.node.path}', which belongs to another app; ` +
            'apps of a fleet are synthesized independently and cannot depend on each other',
        );
      }
    }
  }
}

/** The chart's API objects in the order cdk8s writes them (as `chartToKube` in cdk8s's app.ts). */
function apiObjectsInOutputOrder(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node)
    .topology()
    .filter((x): x is ApiObject => ApiObject.isApiObject(x) && Chart.of(x) === chart);
}
