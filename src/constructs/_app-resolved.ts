/** The resolved props of a `CanaryApp`, what its objects are rendered from. */
import type { CanaryStep as CanaryStepSpec } from '../runtime/types';
import type { HpaMetric } from './autoscaling';
import type { CanaryAppNames } from './canary-app-props';
import type { DisruptionBudget } from './disruption';
import type { TrafficSplit, VirtualServiceOptions } from './traffic';
import type { ResolvedWorkload } from './_workload';

/** Everything `CanaryApp` renders from, with every default applied. */
export interface Resolved {
  readonly name: string;
  readonly namespace?: string;
  readonly names: Required<CanaryAppNames>;
  readonly workload: ResolvedWorkload;
  readonly inlineTemplate: boolean;
  readonly scaleDown: string;
  readonly replicas?: number;
  readonly autoscaling?: { minReplicas: number; maxReplicas: number; metrics: HpaMetric[] };
  readonly steps: CanaryStepSpec[];
  readonly service: { port: number; targetPort: string | number; portName: string };
  readonly virtualService: VirtualServiceOptions;
  readonly routeName: string;
  readonly managedRoutes: string[];
  readonly split: TrafficSplit;
  readonly rootService: boolean;
  readonly pdbs?: { stable: DisruptionBudget; canary: DisruptionBudget };
  readonly minReadySeconds: number;
  readonly minPodsPerReplicaSet: number;
  readonly scaleDownDelaySeconds: number;
  readonly abortScaleDownDelaySeconds: number;
}

