/** CanaryApp's traffic concern: the split, the root Service and the VirtualService. */
import { DNS1123_LABEL_RULE, isDns1123Label } from './_checks';
import type { CanaryAppProps } from './canary-app-props';
import type { ProblemList } from './canary-app-error';
import { CANARY_APP_DEFAULTS } from './defaults';
import { TrafficSplit, checkVirtualServiceOptions, type VirtualServiceOptions } from './traffic';

/** The traffic split (host or subset), the root Service and the VirtualService with its route name. */
export function resolveTraffic(
  props: CanaryAppProps,
  problems: ProblemList,
): { split: TrafficSplit; rootService: boolean; vs: VirtualServiceOptions | undefined | null; routeName: string } {
  const split = props.trafficSplit ?? TrafficSplit.host();
  if (!(split instanceof TrafficSplit)) {
    problems.add('trafficSplit', split, 'must be TrafficSplit.host() or TrafficSplit.subset()');
  } else if (split.mode === 'subset') {
    if (!isDns1123Label(split.stableSubset)) problems.add('trafficSplit.stableSubset', split.stableSubset, DNS1123_LABEL_RULE);
    if (!isDns1123Label(split.canarySubset)) problems.add('trafficSplit.canarySubset', split.canarySubset, DNS1123_LABEL_RULE);
    else if (split.canarySubset === split.stableSubset) problems.add('trafficSplit.canarySubset', split.canarySubset, 'must differ from trafficSplit.stableSubset');
  }
  const rootService = props.rootService ?? false;
  if (rootService && split instanceof TrafficSplit && split.mode === 'subset') {
    problems.add('rootService', rootService, 'only applies to the host split: with subsets the one Service already selects every pod');
  }
  const vs = props.virtualService;
  let routeName: string = CANARY_APP_DEFAULTS.routeName;
  if (vs === undefined || vs === null || typeof vs !== 'object') {
    problems.add('virtualService', vs, 'is required: at least { hosts: ["www.example.com"] }');
  } else {
    routeName = checkVirtualServiceOptions(vs, problems);
  }
  return { split, rootService, vs, routeName };
}
