/** CanaryApp's props resolved concern by concern (`resolveProps` is the list of concerns). */
import type { Construct } from 'constructs';
import { DNS1123_LABEL_RULE, isDns1123Label } from './_checks';
import { resolveManagedRoutes } from './_managed-routes';
import { resolveWorkload } from './_workload';
import { checkAnalysis } from './_app-analysis';
import { resolveDisruptionBudgets } from './_app-disruption';
import { checkChartClashes, checkOwnClashes, renderedNameKeys, resolveNames, resolveNamespace } from './_app-names';
import type { Resolved } from './_app-resolved';
import { resolveScale } from './_app-scale';
import { resolveService } from './_app-service';
import { resolveSteps } from './_app-steps';
import { resolveTiming } from './_app-timing';
import { resolveTraffic } from './_app-traffic';
import { resolveWorkloadRef } from './_app-workload-ref';
import type { CanaryAppProps } from './canary-app-props';
import type { ProblemList } from './canary-app-error';
import { applyPodSecurity } from './pod-security';
import { TrafficSplit } from './traffic';

/**
 * Applies defaults and records every problem of the props, concern by concern (names, workload
 * reference, replicas / HPA, steps, Services, traffic, disruption budgets, timing, then the
 * checks across them); every problem is recorded before anything is returned.
 */
export function resolveProps(self: Construct, props: CanaryAppProps, problems: ProblemList): Resolved | undefined {
  if (props === undefined || props === null || typeof props !== 'object') {
    problems.add('props', props, 'must be an object with at least name, containers (or deploymentSpec/deployment) and virtualService');
    return undefined;
  }
  const name = props.name;
  const nameOk = isDns1123Label(name);
  if (!nameOk) problems.add('name', name, DNS1123_LABEL_RULE);
  const appName = nameOk ? name : 'app';

  const workload = resolveWorkload(appName, props, problems);
  if (workload) applyPodSecurity(workload.source, workload.template, props, problems);
  const namespace = resolveNamespace(self, props.namespace, workload, problems);
  const given = props.names ?? {};
  const names = resolveNames(name, appName, nameOk, given, workload, problems);
  const { inlineTemplate, scaleDown } = resolveWorkloadRef(props, problems);
  const scale = resolveScale(props, workload, problems);
  const steps = resolveSteps(props.steps, scale.mostReplicas, problems);
  const service = resolveService(props.service, workload, problems);
  const { split, rootService, vs, routeName } = resolveTraffic(props, problems);
  const managedRoutes = resolveManagedRoutes(props.managedRoutes, steps, routeName, problems);
  const pdbs = resolveDisruptionBudgets(props.disruptionBudgets, scale.fewestReplicas, scale.minPodsPerReplicaSet, problems);
  const timing = resolveTiming(props, problems);

  // Names that must differ inside the app, then clashes with objects already in the chart.
  const rendered = renderedNameKeys(inlineTemplate, split, rootService, scale.autoscaling !== undefined, pdbs !== undefined);
  checkOwnClashes(names, given, rendered, problems);
  checkChartClashes(self, appName, nameOk, namespace, names, given, rendered, problems);
  if (split instanceof TrafficSplit) checkAnalysis(props.analysis, { name: appName, namespace, names, split, steps }, problems);

  if (!workload || !(split instanceof TrafficSplit) || vs === undefined || vs === null) return undefined;
  return {
    name: appName,
    namespace,
    names,
    workload,
    inlineTemplate,
    scaleDown,
    replicas: scale.replicas,
    autoscaling: scale.autoscaling,
    steps,
    service,
    virtualService: vs,
    routeName,
    managedRoutes,
    split,
    rootService,
    pdbs,
    minReadySeconds: timing.minReadySeconds,
    minPodsPerReplicaSet: scale.minPodsPerReplicaSet,
    scaleDownDelaySeconds: timing.scaleDownDelaySeconds,
    abortScaleDownDelaySeconds: timing.abortScaleDownDelaySeconds,
  };
}
