import * as fs from 'fs';
import * as path from 'path';
import { ChartProps, IResolver } from 'cdk8s';
import { CanaryApp, type CanaryAppProps } from '../constructs/canary-app';
import { FleetAppFailure, FleetSynthError } from './fleet-synth-error';
import { FleetAppBuilder, FleetAppDefinition, RenderedFleetApp, renderFleetApp } from './render-fleet-app';

/** Properties for `CanaryFleet`. */
export interface CanaryFleetProps {
  /**
   * Directory the app files are written to (created if missing, never emptied).
   * @default - CDK8S_OUTDIR if defined (set by `cdk8s synth`), otherwise "dist", as cdk8s `App`
   */
  readonly outdir?: string;
  /**
   * Extension of every app file.
   * @default '.k8s.yaml'
   */
  readonly outputFileExtension?: string;
  /**
   * Write `construct-metadata.json` (API object name -> construct path), which `cdk8s synth`
   * validation plugins read.
   * @default - true when CDK8S_RECORD_CONSTRUCT_METADATA is "true" (set by `cdk8s synth` when
   * validations are configured), as cdk8s `App`
   */
  readonly recordConstructMetadata?: boolean;
  /**
   * Custom cdk8s resolvers, used by every app.
   * @default - the built-in resolvers only
   */
  readonly resolvers?: IResolver[];
}

/** One `CanaryApp` of a fleet, as data (`CanaryFleet.addCanaryApp`): the form Python, Java and Go use. */
export interface FleetCanaryAppSpec {
  /** Construct id of the app's chart; it names the output file (`<id>.k8s.yaml`). */
  readonly id: string;
  /** The `CanaryApp`'s props. */
  readonly props: CanaryAppProps;
  /**
   * Construct id of the `CanaryApp` inside its chart.
   * @default 'app'
   */
  readonly appId?: string;
  /**
   * Props of the app's chart (namespace, labels, disableResourceNameHashes).
   * @default - no props, as `new Chart(app, id)`
   */
  readonly chartProps?: ChartProps;
}

/** What `CanaryFleet.synth()` wrote. */
export interface FleetSynthResult {
  /** Paths of the app files, in fleet (`addApp()`) order. */
  readonly files: string[];
}

/**
 * Many apps, one YAML file per app, synthesized in time linear in the number of apps.
 *
 * It stands where a cdk8s `App` with one `Chart` per app would, with the same output: the file of
 * each app is named and written byte for byte as `App.synth()` would write that chart (validation,
 * dependency order inside the app, key order and YAML formatting are cdk8s's own). What differs:
 * - each app is built and rendered in its own cdk8s `App`, one after the other, so synthesis costs
 *   O(apps) instead of cdk8s's O(charts^2), and only one app's construct tree is alive at a time;
 * - apps are added as builders (`addApp(id, chart => ...)`), called during `synth()`;
 * - apps cannot depend on each other or contain nested charts (each error names the app).
 *
 * @example
 * const fleet = new CanaryFleet();
 * for (const svc of services) {
 *   fleet.addApp(svc.name, (chart) => new CanaryApp(chart, 'app', svc.props));
 * }
 * fleet.synth(); // dist/<svc.name>.k8s.yaml for every service
 */
export class CanaryFleet {
  /** Output directory. */
  public readonly outdir: string;
  /** Extension of every app file. */
  public readonly outputFileExtension: string;
  /** Whether `synth()` writes `construct-metadata.json`. */
  public readonly recordConstructMetadata: boolean;

  private readonly resolvers?: IResolver[];
  private readonly apps: FleetAppDefinition[] = [];
  private readonly indexById = new Map<string, number>();

  constructor(props: CanaryFleetProps = {}) {
    this.outdir = props.outdir ?? process.env.CDK8S_OUTDIR ?? 'dist';
    this.outputFileExtension = props.outputFileExtension ?? '.k8s.yaml';
    this.recordConstructMetadata =
      props.recordConstructMetadata ?? process.env.CDK8S_RECORD_CONSTRUCT_METADATA === 'true';
    this.resolvers = props.resolvers;
  }

  /** Number of apps added. */
  public get size(): number {
    return this.apps.length;
  }

  /**
   * Adds an app. `build` is called during `synth()` with the app's own chart (id `id`).
   * @throws if `id` is empty, contains '/' or is already used by another app of the fleet.
   * TypeScript only (`build` is a function); other languages use `addCanaryApp`.
   * @jsii ignore
   */
  public addApp(id: string, build: FleetAppBuilder, chartProps?: ChartProps): this {
    if (typeof id !== 'string' || id.length === 0 || id.includes('/')) {
      throw new Error(`addApp: id (${JSON.stringify(id)}) must be a non-empty string without '/'`);
    }
    const previous = this.indexById.get(id);
    if (previous !== undefined) {
      throw new Error(`addApp: id '${id}' is already used by app #${previous}; app ids must be unique`);
    }
    this.indexById.set(id, this.apps.length);
    this.apps.push({ id, build, chartProps });
    return this;
  }

  /**
   * Adds a `CanaryApp` from its spec: the same as
   * `addApp(spec.id, (chart) => new CanaryApp(chart, spec.appId ?? 'app', spec.props), spec.chartProps)`.
   * @throws if `spec.id` is empty, contains '/' or is already used by another app of the fleet.
   */
  public addCanaryApp(spec: FleetCanaryAppSpec): CanaryFleet {
    return this.addApp(spec.id, (chart) => new CanaryApp(chart, spec.appId ?? 'app', spec.props), spec.chartProps);
  }

  /**
   * Builds and renders every app, in `addApp()` order, without writing anything.
   * @throws FleetSynthError listing every app that failed.
   */
  public render(): RenderedFleetApp[] {
    const options = {
      outputFileExtension: this.outputFileExtension,
      resolvers: this.resolvers,
      recordConstructMetadata: this.recordConstructMetadata,
    };
    const rendered: RenderedFleetApp[] = [];
    const failures: FleetAppFailure[] = [];
    const owner = new Map<string, string>();
    this.apps.forEach((def, index) => {
      try {
        const out = renderFleetApp(def, options);
        const clash = owner.get(out.fileName);
        if (clash !== undefined) {
          throw new Error(`writes ${out.fileName}, which app '${clash}' writes too`);
        }
        owner.set(out.fileName, def.id);
        rendered.push(out);
      } catch (e) {
        failures.push({ id: def.id, index, message: e instanceof Error ? e.message : String(e) });
      }
    });
    if (failures.length > 0) {
      throw new FleetSynthError(failures, this.apps.length);
    }
    return rendered;
  }

  /**
   * Renders every app, then writes one file per app into `outdir` (and `construct-metadata.json`
   * when `recordConstructMetadata`). Nothing is written if any app fails.
   * @throws FleetSynthError listing every app that failed.
   */
  public synth(): FleetSynthResult {
    const rendered = this.render();
    fs.mkdirSync(this.outdir, { recursive: true });
    const files = rendered.map((r) => {
      const file = path.join(this.outdir, r.fileName);
      fs.writeFileSync(file, r.yaml, { encoding: 'utf8' });
      return file;
    });
    if (this.recordConstructMetadata) {
      const resources: Record<string, { path: string }> = {};
      for (const r of rendered) {
        for (const { name, path: constructPath } of r.resources) {
          resources[name] = { path: constructPath };
        }
      }
      fs.writeFileSync(
        path.join(this.outdir, 'construct-metadata.json'),
        JSON.stringify({ version: '1.0.0', resources }),
      );
    }
    return { files };
  }
}
