import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { AnalysisTemplate, AnalysisTemplateSpecArgs } from '../../../imports/argo-analysis-template-argoproj.io';
import { ANALYSIS_ARGS } from '../defaults';
import { CanaryAppError, type Problem } from '../canary-app-error';
import { CanaryMetric, templateTags, unknownTagProblems } from './canary-metric';
import { PrometheusSource } from './prometheus-source';

/** Properties for `CanaryAnalysisTemplate`. */
export interface CanaryAnalysisTemplateProps {
  /** `metadata.name` of the AnalysisTemplate (DNS subdomain); the Rollout refers to it by this name. */
  readonly name: string;

  /**
   * `metadata.namespace`. The template must live in the Rollout's namespace.
   * @default - unset (the namespace `kubectl apply` or Argo CD deploys to)
   * @jsii suppress JSII5018
   */
  readonly namespace?: string;

  /** Where the metrics are queried (Prometheus, Grafana Mimir, ...). */
  readonly source: PrometheusSource;

  /**
   * The metrics measured; every one must pass.
   * @default - [CanaryMetric.istioErrorRate()]: 5xx share of the canary Service at most 1 %
   */
  readonly metrics?: CanaryMetric[];

  /**
   * Labels on the AnalysisTemplate.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/** Service names the Rollout passes to the template as argument values. */
export interface AnalysisArgValues {
  /**
   * The canary Service (`strategy.canary.canaryService`).
   * @default - none; required when a metric uses `{{args.canary-service}}`
   */
  readonly canaryService?: string;
  /**
   * The stable Service (`strategy.canary.stableService`).
   * @default - none; required when a metric uses `{{args.stable-service}}`
   */
  readonly stableService?: string;
}

/** One Rollout-side argument (`strategy.canary.analysis.args[]` or `steps[].analysis.args[]`). */
export interface RolloutAnalysisArg {
  /** Argument name, as the template declares it. */
  readonly name: string;
  /**
   * A literal value.
   * @default - none: `valueFrom` gives the value
   */
  readonly value?: string;
  /**
   * Where the controller takes the value from.
   * @default - none: `value` gives the value
   */
  readonly valueFrom?: RolloutAnalysisArgValueFrom;
}

/** Where the controller takes an argument's value from (`args[].valueFrom`). */
export interface RolloutAnalysisArgValueFrom {
  /**
   * A field of the Rollout.
   * @default - none
   */
  readonly fieldRef?: RolloutFieldRef;
  /**
   * `Stable` or `Latest`: the pod-template hash of that ReplicaSet.
   * @default - none
   */
  readonly podTemplateHashValue?: string;
}

/** A field of the Rollout (`valueFrom.fieldRef`). */
export interface RolloutFieldRef {
  /** Path of the field, e.g. `metadata.namespace`. */
  readonly fieldPath: string;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * An Argo Rollouts `AnalysisTemplate` (Prometheus provider) for a canary: the metrics, their
 * success/failure conditions and the arguments the Rollout fills in (`canary-service`,
 * `namespace`, ...). Only arguments some metric uses are declared, so the Rollout passes exactly
 * those (`rolloutArgs()`).
 *
 * Throws `CanaryAppError` listing every problem when the settings are invalid.
 */
export class CanaryAnalysisTemplate extends Construct {
  /** `metadata.name`, the name `templates[].templateName` uses. */
  public readonly templateName: string;
  /** Declared argument names, sorted. */
  public readonly argNames: string[];
  /** The metrics measured, in render order. */
  public readonly metrics: CanaryMetric[];
  /** The rendered API object. */
  public readonly apiObject: ApiObject;

  /** Every problem with `props` (empty when valid), paths prefixed with `prefix`, without creating anything. */
  public static problems(props: CanaryAnalysisTemplateProps, prefix = ''): Problem[] {
    return templateProblems(props, props.metrics ?? [CanaryMetric.istioErrorRate()], prefix);
  }

  /**
   * Problems passing `values` to a template with these props: one per Service argument a metric
   * uses that `values` cannot fill. Assumes `problems(props)` is empty.
   */
  public static missingArgValues(props: CanaryAnalysisTemplateProps, values: AnalysisArgValues): Problem[] {
    const metrics = props.metrics ?? [CanaryMetric.istioErrorRate()];
    return missingArgValues(metrics, declaredArgs(props.source, metrics), values);
  }

  constructor(scope: Construct, id: string, props: CanaryAnalysisTemplateProps) {
    // Validate before joining the construct tree, so a failed construction leaves no child behind.
    const metrics = props.metrics ?? [CanaryMetric.istioErrorRate()];
    const problems = templateProblems(props, metrics);
    if (problems.length > 0) {
      throw new CanaryAppError(`Invalid CanaryAnalysisTemplate ${JSON.stringify(props?.name)}`, problems);
    }
    super(scope, id);

    this.templateName = props.name;
    this.metrics = metrics;
    this.argNames = declaredArgs(props.source, metrics);
    const args: AnalysisTemplateSpecArgs[] = this.argNames.map((name) => ({ name }));
    this.apiObject = new AnalysisTemplate(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels ? { ...props.labels } : undefined },
      spec: {
        args: args.length > 0 ? args : undefined,
        metrics: metrics.map((m) => m._toKube(props.source)),
      },
    });
  }

  /**
   * The arguments a Rollout passes to this template: Service names as values, the namespace from
   * the Rollout's own `metadata.namespace`, pod-template hashes from the controller.
   */
  public rolloutArgs(values: AnalysisArgValues): RolloutAnalysisArg[] {
    const missing = missingArgValues(this.metrics, this.argNames, values);
    if (missing.length > 0) {
      throw new CanaryAppError(`Invalid arguments for AnalysisTemplate ${JSON.stringify(this.templateName)}`, missing);
    }
    return this.argNames.map((name): RolloutAnalysisArg => {
      switch (name) {
        case ANALYSIS_ARGS.canaryService:
          return { name, value: values.canaryService! };
        case ANALYSIS_ARGS.stableService:
          return { name, value: values.stableService! };
        case ANALYSIS_ARGS.namespace:
          return { name, valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } };
        case ANALYSIS_ARGS.canaryHash:
          return { name, valueFrom: { podTemplateHashValue: 'Latest' } };
        case ANALYSIS_ARGS.stableHash:
          return { name, valueFrom: { podTemplateHashValue: 'Stable' } };
        default:
          // Unreachable: the constructor rejects unknown arguments.
          throw new Error(`no value source for analysis argument '${name}'`);
      }
    });
  }
}

/** Arguments the metrics (and source headers) use, sorted: the template declares exactly these. */
function declaredArgs(source: PrometheusSource, metrics: readonly CanaryMetric[]): string[] {
  const used = new Set<string>(metrics.flatMap((m) => m.referencedArgs()));
  for (const { value } of source.headerEntries()) {
    templateTags(value).forEach((t) => used.add(t.slice('args.'.length)));
  }
  return [...used].sort();
}

/** One problem per declared Service argument that `values` cannot fill. */
function missingArgValues(metrics: readonly CanaryMetric[], argNames: readonly string[], values: AnalysisArgValues): Problem[] {
  const out: Problem[] = [];
  const users = (arg: string) => metrics.flatMap((m, i) => (m.referencedArgs().includes(arg) ? [i] : []));
  if (argNames.includes(ANALYSIS_ARGS.canaryService) && values.canaryService === undefined) {
    for (const i of users(ANALYSIS_ARGS.canaryService)) {
      out.push({ path: `metrics[${i}].query`, value: '{{args.canary-service}}', expected: 'needs a canary Service, which this Rollout does not have; select the canary with IstioCanarySelector.POD_HASH or {{args.canary-hash}}' });
    }
  }
  if (argNames.includes(ANALYSIS_ARGS.stableService) && values.stableService === undefined) {
    for (const i of users(ANALYSIS_ARGS.stableService)) {
      out.push({ path: `metrics[${i}].query`, value: '{{args.stable-service}}', expected: 'needs a stable Service, which this Rollout does not have' });
    }
  }
  return out;
}

/** Every problem with the template settings (name, source, metrics), in order. */
function templateProblems(props: CanaryAnalysisTemplateProps, metrics: readonly CanaryMetric[], prefix = ''): Problem[] {
  const problems: Problem[] = [];
  if (typeof props.name !== 'string' || !DNS_SUBDOMAIN.test(props.name) || props.name.length > 253) {
    problems.push({ path: `${prefix}name`, value: props.name, expected: "must be a DNS subdomain: lowercase letters, digits, '-' and '.', at most 253 characters" });
  }
  if (!(props.source instanceof PrometheusSource)) {
    problems.push({ path: `${prefix}source`, value: props.source, expected: 'must be a PrometheusSource, e.g. PrometheusSource.mimir("http://mimir-query-frontend.mimir.svc:8080/prometheus", "my-tenant")' });
  } else {
    problems.push(...props.source.problems(`${prefix}source`));
    for (const { key, value } of props.source.headerEntries()) {
      problems.push(...unknownTagProblems(`${prefix}source.headers[${JSON.stringify(key)}]`, value));
    }
  }
  if (!Array.isArray(metrics) || metrics.length === 0) {
    problems.push({ path: `${prefix}metrics`, value: metrics, expected: 'must list at least one metric, e.g. CanaryMetric.istioErrorRate() (Argo rejects a template without metrics)' });
    return problems;
  }
  const seen = new Map<string, number>();
  metrics.forEach((metric, i) => {
    if (!(metric instanceof CanaryMetric)) {
      problems.push({ path: `${prefix}metrics[${i}]`, value: metric, expected: 'must be a CanaryMetric (CanaryMetric.istioErrorRate(), istioLatency(...), prometheus(...))' });
      return;
    }
    problems.push(...metric.problems(`${prefix}metrics[${i}]`));
    const first = seen.get(metric.name);
    if (first !== undefined) {
      problems.push({ path: `${prefix}metrics[${i}].name`, value: metric.name, expected: `duplicates metrics[${first}].name; metric names must be unique` });
    } else {
      seen.set(metric.name, i);
    }
  });
  return problems;
}
