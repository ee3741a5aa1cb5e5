import { toYaml } from '../model/yaml-text';
import { ARGO_CONTROLLER_VALUES_DEFAULTS } from './defaults';
import { ProblemList } from './canary-app-error';
import { isQuantity } from './autoscaling';

/** Overrides of the write-up's Argo Rollouts controller Helm values. */
export interface ControllerValuesOptions {
  /**
   * Memory limit and request of the controller.
   * @default '512Mi'
   */
  readonly memory?: string;
  /**
   * CPU request of the controller.
   * @default '100m'
   */
  readonly cpuRequest?: string;
  /**
   * Ephemeral storage limit of the controller.
   * @default '1Gi'
   */
  readonly ephemeralStorageLimit?: string;
  /**
   * `controller.pdb.minAvailable` (the chart runs one replica unless told otherwise).
   * @default 1
   */
  readonly pdbMinAvailable?: number;
  /**
   * Expose controller metrics (`controller.metrics.enabled`).
   * @default true
   */
  readonly metrics?: boolean;
}

/**
 * The Helm values of the write-up for the `argo/argo-rollouts` chart: only the Istio traffic
 * provider gets RBAC, controller resources, a controller PDB and metrics. Pure: returns data;
 * write it wherever you like (`src/main.ts` writes `dist/argo-rollouts-values.yaml`).
 * Install: `helm install -f argo-rollouts-values.yaml argo-rollouts argo/argo-rollouts`.
 */
export class ArgoRolloutsControllerValues {
  /** The values as a plain object. */
  public readonly values: Readonly<Record<string, unknown>>;

  public constructor(options: ControllerValuesOptions = {}) {
    const d = ARGO_CONTROLLER_VALUES_DEFAULTS;
    const problems = new ProblemList();
    const memory = options.memory ?? d.requestsMemory;
    const cpu = options.cpuRequest ?? d.requestsCpu;
    const storage = options.ephemeralStorageLimit ?? d.limitsEphemeralStorage;
    if (!isQuantity(memory)) problems.add('memory', memory, 'must be a Kubernetes quantity such as "512Mi"');
    if (!isQuantity(cpu)) problems.add('cpuRequest', cpu, 'must be a Kubernetes quantity such as "100m"');
    if (!isQuantity(storage)) problems.add('ephemeralStorageLimit', storage, 'must be a Kubernetes quantity such as "1Gi"');
    const pdbMin = options.pdbMinAvailable ?? d.pdbMinAvailable;
    if (!Number.isInteger(pdbMin) || pdbMin < 0) problems.add('pdbMinAvailable', pdbMin, 'must be a whole number >= 0');
    problems.throwIfAny('Invalid ArgoRolloutsControllerValues');
    this.values = {
      providerRBAC: { providers: { ...d.providers } },
      controller: {
        resources: {
          limits: { memory, 'ephemeral-storage': storage },
          requests: { cpu, memory },
        },
        pdb: { enabled: true, minAvailable: pdbMin },
        metrics: { enabled: options.metrics ?? d.metricsEnabled },
      },
    };
  }

  /** The values file text (YAML), with a header comment saying how to install. */
  public toYaml(): string {
    return `# Argo Rollouts controller values (helm install -f <this file> argo-rollouts argo/argo-rollouts)\n${toYaml(this.values)}`;
  }
}
