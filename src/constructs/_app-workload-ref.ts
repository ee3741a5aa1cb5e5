/** CanaryApp's workload reference concern: `workloadRef` with its `scaleDown`, or the template inline. */
import { WorkloadScaleDown, type CanaryAppProps } from './canary-app-props';
import type { ProblemList } from './canary-app-error';
import { CANARY_APP_DEFAULTS } from './defaults';

const SCALE_DOWN_VALUES: ReadonlySet<string> = new Set(Object.values(WorkloadScaleDown));

/** The workload reference: `workloadRef` with its `scaleDown`, or the template inline. */
export function resolveWorkloadRef(props: CanaryAppProps, problems: ProblemList): { inlineTemplate: boolean; scaleDown: string } {
  const inlineTemplate = props.inlineTemplate ?? false;
  const scaleDown = props.scaleDown ?? (CANARY_APP_DEFAULTS.workloadScaleDown as WorkloadScaleDown);
  if (!SCALE_DOWN_VALUES.has(scaleDown)) {
    problems.add('scaleDown', scaleDown, 'must be one of "never", "onsuccess", "progressively"');
  }
  if (inlineTemplate && props.scaleDown !== undefined) {
    problems.add('scaleDown', props.scaleDown, 'only applies to workloadRef; remove it or set inlineTemplate: false');
  }
  return { inlineTemplate, scaleDown };
}
