/**
 * Catalogue of bad inputs. Each entry must fail at construction with ONE CanaryAppError whose
 * lines are exactly the listed `<path> (<value>) <what is valid>` problems, in order.
 */
import { Chart, Duration, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  ArgoRolloutsControllerValues,
  CanaryApp,
  CanaryAppError,
  CanaryStep,
  DisruptionBudget,
  HpaMetric,
  RolloutsRbac,
  SeccompProfileType,
  StepProfile,
  TrafficSplit,
  WorkloadScaleDown,
  type CanaryAppProps,
} from '../../src/constructs';
import { myAppProps } from '../../src/main';
import { thrownBy } from '../support/thrown-by';

// Message texts are written out here on purpose: the test pins them.
const DNS1123 = 'must be a DNS-1123 label: at most 63 lower-case letters, digits or "-", starting and ending with a letter or digit';
const DNS1035 = 'must be a DNS-1035 label (a Service name): at most 63 lower-case letters, digits or "-", starting with a letter and ending with a letter or digit';
const PORT_NAME = 'must be an IANA service name: at most 15 lower-case letters, digits or "-", with a letter, without "--" and not starting or ending with "-"';
const DURATION = 'must be a whole number of seconds or a duration like "15s", "5m" or "1h30m"';
const HOST = 'must be a lower-case DNS name (at most 253 characters, each dot-separated label at most 63), optionally starting with "*.", or "*"';
const GATEWAY = 'must be "namespace/name", "name" or "mesh" (namespace a DNS-1123 label of at most 63 characters, name a DNS name with labels of at most 63)';
const ISTIO_DURATION = 'must be a finite Duration of whole milliseconds, at least 1ms (Istio refuses finer or infinite durations)';
const QUALIFIED = 'must be a qualified name: an optional DNS-1123 subdomain prefix (at most 253 characters) and "/", then a name of at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
const LABEL_VALUE = 'must be a label value: a string of at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit (or empty)';
const STRING = 'must be a string: Kubernetes reads no numbers or booleans here (quote the value)';
const QUANTITY = 'must be a Kubernetes quantity such as "100m", "1" or "512Mi"';
const MATCH_KEYS = 'authority, gateways, headers, ignoreUriCase, method, name, port, queryParams, scheme, sourceLabels, sourceNamespace, statPrefix, uri, withoutHeaders';

// The example's props, but with its HPA on an average CPU value instead of a CPU utilization, so
// that entries replacing the containers need no CPU request (the request check has its own entries).
const example = (): CanaryAppProps => myAppProps(StepProfile.automatic());
const base = (): CanaryAppProps => ({ ...example(), autoscaling: { ...example().autoscaling, metrics: [HpaMetric.cpuAverageValue('175m')] } });
const fixed = (): CanaryAppProps => ({ ...base(), autoscaling: undefined });
const steps = (...s: CanaryStep[]): CanaryAppProps => ({ ...base(), steps: s });
const spec = (template: object, extra: object = {}): CanaryAppProps => ({ ...base(), containers: undefined, deploymentSpec: { template, ...extra } as never });
const plainContainer = { name: 'app', image: 'my-image:1', ports: [{ containerPort: 8080, name: 'http' }] };

interface Entry {
  /** Props of the app under test. */
  readonly props: CanaryAppProps;
  /** Exact problem lines. */
  readonly lines: string[];
  /** Builds other objects into the chart first. */
  readonly before?: (chart: Chart) => void;
  /** Namespace of the chart. */
  readonly chartNamespace?: string;
}

const CATALOGUE: Record<string, Entry> = {
  // Steps
  'weight above 100': { props: steps(CanaryStep.setWeight(120)), lines: ['steps[0].setWeight (120) must be between 0 and 100'] },
  'negative weight': { props: steps(CanaryStep.setWeight(-5)), lines: ['steps[0].setWeight (-5) must be between 0 and 100'] },
  'fractional weight': { props: steps(CanaryStep.setWeight(12.5)), lines: ['steps[0].setWeight (12.5) must be a whole number (Istio weights are integers)'] },
  'NaN weight': { props: steps(CanaryStep.setWeight(Number.NaN)), lines: ['steps[0].setWeight (NaN) must be a whole number between 0 and 100'] },
  'pause duration 15x': { props: steps(CanaryStep.setWeight(10), CanaryStep.pause('15x')), lines: [`steps[1].pause.duration ("15x") ${DURATION}`] },
  'empty pause duration string': { props: steps(CanaryStep.pause('')), lines: [`steps[0].pause.duration ("") ${DURATION}`] },
  'fractional pause duration string (Argo reads it, CanaryApp does not)': {
    props: steps(CanaryStep.pause('1.5s')),
    lines: [
      'steps[0].pause.duration ("1.5s") is read by Argo as 1s, but CanaryApp requires whole seconds or whole h/m/s units such as "15s", "5m" or "1h30m" so the pause is what is written (a CanaryApp rule; write "1s")',
    ],
  },
  'millisecond pause duration string (Argo reads it, CanaryApp does not)': {
    props: steps(CanaryStep.pause('90000ms')),
    lines: [
      'steps[0].pause.duration ("90000ms") is read by Argo as 90s, but CanaryApp requires whole seconds or whole h/m/s units such as "15s", "5m" or "1h30m" so the pause is what is written (a CanaryApp rule; write "90s")',
    ],
  },
  'negative pause duration string (the controller refuses it)': { props: steps(CanaryStep.pause('-5s')), lines: [`steps[0].pause.duration ("-5s") ${DURATION}`] },
  'sub-second pause Duration': { props: steps(CanaryStep.pause(Duration.millis(1500))), lines: ['steps[0].pause.duration (Duration(1500ms)) must be a whole, non-negative number of seconds'] },
  'setCanaryScale with two modes': {
    props: steps(CanaryStep.setCanaryScale({ replicas: 2, weight: 10 })),
    lines: ['steps[0].setCanaryScale ({"replicas":2,"weight":10}) must set exactly one of replicas, weight or matchTrafficWeight (got replicas and weight)'],
  },
  'setCanaryScale with no mode': {
    props: steps(CanaryStep.setCanaryScale({})),
    lines: ['steps[0].setCanaryScale ({}) must set exactly one of replicas, weight or matchTrafficWeight (got none)'],
  },
  'negative canary replicas': { props: steps(CanaryStep.setCanaryScaleReplicas(-1)), lines: ['steps[0].setCanaryScale.replicas (-1) must be a whole number >= 0'] },
  'canary replicas above the HPA maximum': {
    props: steps(CanaryStep.setCanaryScaleReplicas(20)),
    lines: ['steps[0].setCanaryScale.replicas (20) must be at most the Rollout\'s replicas (10); more makes Argo compute a negative stable weight (argo-rollouts#4424)'],
  },
  'canary scale weight above 100': { props: steps(CanaryStep.setCanaryScaleWeight(150)), lines: ['steps[0].setCanaryScale.weight (150) must be between 0 and 100'] },
  'matchTrafficWeight false': {
    props: steps(CanaryStep.setCanaryScale({ matchTrafficWeight: false })),
    lines: ['steps[0].setCanaryScale.matchTrafficWeight (false) must be true (omit the step to keep an explicit scale)'],
  },
  'empty profile': { props: { ...base(), steps: StepProfile.of() }, lines: ['steps ([]) must list at least one step; without steps the new version gets 100 % of the traffic and pods at once'] },
  'empty step list': { props: { ...base(), steps: [] }, lines: ['steps ([]) must list at least one step; without steps the new version gets 100 % of the traffic and pods at once'] },
  'plain object instead of a CanaryStep': {
    props: { ...base(), steps: [{ setWeight: 10 } as never] },
    lines: ['steps[0] ({"setWeight":10}) must be a CanaryStep (CanaryStep.setWeight(20), CanaryStep.pause(...), ...)'],
  },
  'weights builder with a bad weight and a bad pause': {
    props: { ...base(), steps: StepProfile.fromWeights({ weights: [10, 101], pauseBetween: Duration.millis(10) }) },
    lines: [
      'steps[1].pause.duration (Duration(10ms)) must be a whole, non-negative number of seconds',
      'steps[2].setWeight (101) must be between 0 and 100',
    ],
  },

  // Header and mirror routes
  'header route with an empty name': {
    props: steps(CanaryStep.setHeaderRoute({ name: '', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] }), CanaryStep.setWeight(10)),
    lines: ['steps[0].setHeaderRoute.name ("") must be a non-empty route name'],
  },
  'header route without a match': {
    props: steps(CanaryStep.setHeaderRoute({ name: 'testers', match: [] }), CanaryStep.setWeight(10)),
    lines: ['steps[0].setHeaderRoute.match ([]) must list at least one header match; to remove the route use CanaryStep.removeHeaderRoute("testers")'],
  },
  'header match without a value, with two values, with an upper-case name': {
    props: steps(
      CanaryStep.setHeaderRoute({
        name: 'testers',
        match: [
          { headerName: 'x-canary', headerValue: {} },
          { headerName: 'x-canary', headerValue: { exact: 'yes', regex: 'y.*' } },
          { headerName: 'X-Canary', headerValue: { prefix: 'y' } },
          { headerName: 'x-canary', headerValue: { exact: '' } },
        ],
      }),
      CanaryStep.setWeight(10),
    ),
    lines: [
      'steps[0].setHeaderRoute.match[0].headerValue ({}) must set exactly one of exact, prefix or regex to a non-empty string (got none)',
      'steps[0].setHeaderRoute.match[1].headerValue ({"exact":"yes","regex":"y.*"}) must set exactly one of exact, prefix or regex to a non-empty string (got exact and regex)',
      'steps[0].setHeaderRoute.match[2].headerName ("X-Canary") must be a lowercase HTTP header name (letters a-z, digits, "-" or "_"), e.g. "x-canary"',
      'steps[0].setHeaderRoute.match[3].headerValue ({"exact":""}) must set exactly one of exact, prefix or regex to a non-empty string (got none)',
    ],
  },
  'managed route named like the weighted route': {
    props: steps(CanaryStep.setHeaderRoute({ name: 'primary', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] }), CanaryStep.setWeight(10)),
    lines: ['steps[0].setHeaderRoute.name ("primary") must differ from the weighted route\'s name (virtualService.routeName "primary"): Argo removes managed routes by name at promotion and abort, which would delete the weighted route'],
  },
  'managedRoutes with a duplicate, an empty name, the weighted route and a step route missing': {
    props: {
      ...steps(CanaryStep.setHeaderRoute({ name: 'testers', match: [{ headerName: 'x-canary', headerValue: { exact: 'yes' } }] }), CanaryStep.setWeight(10), CanaryStep.removeHeaderRoute('testers')),
      managedRoutes: ['mirror', 'mirror', '', 'primary'],
    },
    lines: [
      'managedRoutes[1] ("mirror") is listed twice; each managed route once (its position is its priority)',
      'managedRoutes[2] ("") must be a non-empty route name',
      'managedRoutes[3] ("primary") must differ from the weighted route\'s name (virtualService.routeName "primary"): Argo removes managed routes by name at promotion and abort, which would delete the weighted route',
      'steps[0].setHeaderRoute.name ("testers") is not listed in managedRoutes (["mirror","mirror","","primary"]); Argo rejects the Rollout ("Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes"): add it, or omit managedRoutes to derive it from the steps',
      'steps[2].setHeaderRoute.name ("testers") is not listed in managedRoutes (["mirror","mirror","","primary"]); Argo rejects the Rollout ("Steps define a route that does not exist in spec.strategy.canary.trafficRouting.managedRoutes"): add it, or omit managedRoutes to derive it from the steps',
    ],
  },
  'mirror route without a match, removal with an empty name': {
    props: steps(CanaryStep.setMirrorRoute({ name: 'shadow', match: [] }), CanaryStep.setWeight(10), CanaryStep.removeMirrorRoute(' ')),
    lines: [
      'steps[0].setMirrorRoute.match ([]) must list at least one request match, e.g. [{ path: { prefix: \'/\' } }]; to remove the route use CanaryStep.removeMirrorRoute("shadow")',
      'steps[2].setMirrorRoute.name (" ") must be a non-empty route name',
    ],
  },
  'mirror percentage above 100, fractional, and a match with no condition': {
    props: steps(
      CanaryStep.setMirrorRoute({ name: 'shadow', match: [{}], percentage: 120 }),
      CanaryStep.setMirrorRoute({ name: 'shadow', match: [{ path: { prefix: '/' } }], percentage: 12.5 }),
      CanaryStep.setMirrorRoute({ name: 'shadow', match: [{ path: { prefix: '/' } }], percentage: -1 }),
    ),
    lines: [
      'steps[0].setMirrorRoute.match[0] ({}) must set at least one of method, path or headers (to mirror every request: { path: { prefix: \'/\' } })',
      'steps[0].setMirrorRoute.percentage (120) must be a whole number between 0 and 100 (Argo mirrors an int32 percentage)',
      'steps[1].setMirrorRoute.percentage (12.5) must be a whole number between 0 and 100 (Argo mirrors an int32 percentage)',
      'steps[2].setMirrorRoute.percentage (-1) must be a whole number between 0 and 100 (Argo mirrors an int32 percentage)',
    ],
  },
  'mirror match with bad method, path and headers': {
    props: steps(
      CanaryStep.setMirrorRoute({
        name: 'shadow',
        match: [
          {
            method: { exact: 'GET', prefix: 'G' },
            path: {},
            headers: [
              { headerName: 'x-a', headerValue: { exact: '1' } },
              { headerName: 'x-a', headerValue: { regex: '2' } },
              { headerName: '', headerValue: { exact: '3' } },
            ],
          },
        ],
      }),
    ),
    lines: [
      'steps[0].setMirrorRoute.match[0].method ({"exact":"GET","prefix":"G"}) must set exactly one of exact, prefix or regex to a non-empty string (got exact and prefix)',
      'steps[0].setMirrorRoute.match[0].path ({}) must set exactly one of exact, prefix or regex to a non-empty string (got none)',
      'steps[0].setMirrorRoute.match[0].headers[1].headerName ("x-a") is listed twice in this match; one condition per header (Istio keys them by name)',
      'steps[0].setMirrorRoute.match[0].headers[2].headerName ("") must be a lowercase HTTP header name (letters a-z, digits, "-" or "_"), e.g. "x-canary"',
    ],
  },

  // Replicas and HPA
  'HPA minReplicas above maxReplicas': {
    props: { ...base(), autoscaling: { minReplicas: 5, maxReplicas: 3 } },
    lines: ['autoscaling.minReplicas (5) must be <= autoscaling.maxReplicas (3)'],
  },
  'HPA minReplicas below 1': { props: { ...base(), autoscaling: { minReplicas: 0 } }, lines: ['autoscaling.minReplicas (0) must be a whole number >= 1'] },
  'fractional HPA maxReplicas': { props: { ...base(), autoscaling: { maxReplicas: 2.5 } }, lines: ['autoscaling.maxReplicas (2.5) must be a whole number >= 1'] },
  'HPA without metrics': { props: { ...base(), autoscaling: { metrics: [] } }, lines: ['autoscaling.metrics ([]) must list at least one metric, e.g. HpaMetric.cpuUtilization(70)'] },
  'HPA CPU target of 0 %': {
    props: { ...base(), autoscaling: { metrics: [HpaMetric.cpuUtilization(0)] } },
    lines: ['autoscaling.metrics[0].averageUtilization (0) must be a whole percentage >= 1'],
  },
  'HPA custom metric with a bad quantity and no name': {
    props: { ...base(), autoscaling: { metrics: [HpaMetric.pods('', 'lots')] } },
    lines: [
      'autoscaling.metrics[0].metricName ("") must be a non-empty metric name without spaces',
      'autoscaling.metrics[0].averageValue ("lots") must be a Kubernetes quantity such as "100", "500m" or "1Gi"',
    ],
  },
  'fixed replicas together with an HPA': {
    props: { ...base(), replicas: 3 },
    lines: ['replicas (3) cannot be combined with autoscaling: the HPA owns the replica count (Argo CD would fight it); remove one'],
  },
  'zero fixed replicas': { props: { ...fixed(), replicas: 0 }, lines: ['replicas (0) must be a whole number >= 1'] },

  // Names
  'app name that is not DNS-1123': { props: { ...base(), name: 'My_App' }, lines: [`name ("My_App") ${DNS1123}`] },
  'app name too long for the derived names': {
    props: { ...base(), name: 'a'.repeat(55) },
    lines: [`name ("${'a'.repeat(55)}") is too long: the derived Service name "${'a'.repeat(55)}-canary-svc" has 66 characters, at most 63 are allowed (shorten name or set names.canaryService)`],
  },
  'Service name starting with a digit': { props: { ...base(), names: { stableService: '1svc' } }, lines: [`names.stableService ("1svc") ${DNS1035}`] },
  'Rollout name with a dot': { props: { ...base(), names: { rollout: 'my.rollout' } }, lines: [`names.rollout ("my.rollout") ${DNS1123}`] },
  'canary Service named like the stable one': {
    props: { ...base(), names: { canaryService: 'my-app-svc' } },
    lines: ['names.canaryService ("my-app-svc") must differ from names.stableService: two Services cannot share a name'],
  },
  'namespace in upper case': { props: { ...base(), namespace: 'Prod' }, lines: [`namespace ("Prod") ${DNS1123}`] },
  'duplicate app names in one chart': {
    before: (chart) => new CanaryApp(chart, 'First', base()),
    props: base(),
    lines: ['name ("my-app") is already used by the CanaryApp at "test/First" in this chart; app names must be unique'],
  },
  'object name taken by another app': {
    before: (chart) => new CanaryApp(chart, 'First', { ...base(), name: 'first', names: { stableService: 'shared-svc' } }),
    props: { ...base(), names: { stableService: 'shared-svc' } },
    lines: ['names.stableService ("shared-svc") gives Service "shared-svc", which already exists in this chart at "test/First/StableService"; object names must be unique per kind and namespace'],
  },

  // Workload: new app
  'missing image': { props: { ...base(), containers: [{ image: '' }] }, lines: ['containers[0].image ("") is required: the container image, e.g. "my-image:1"'] },
  'image with whitespace': {
    props: { ...base(), containers: [{ image: 'my image:1' }] },
    lines: ['containers[0].image ("my image:1") must be an image reference without whitespace, e.g. "registry.example.com/team/app:1.2.3"'],
  },
  'no workload at all': {
    props: { ...base(), containers: undefined },
    lines: ['containers (undefined) is required: give containers (a new app), or deploymentSpec or deployment (an existing app)'],
  },
  'containers and a deploymentSpec together': {
    props: { ...base(), deploymentSpec: { template: { spec: { containers: [plainContainer] } } } },
    lines: ['deploymentSpec ({"template":{"spec":{"containers":[{"name":"app","image":"my-image:1","ports"...) cannot be combined with containers: give exactly one of containers, deploymentSpec or deployment'],
  },
  'empty container list': {
    props: { ...base(), containers: [] },
    lines: ['containers ([]) must list at least one container'],
  },
  'container port name the Services do not target': {
    props: { ...base(), containers: [{ image: 'my-image:1', portName: 'web' }] },
    lines: ['service.targetPort ("http") is not the name of a container port (containers has "web"); name the port "http" or set service.targetPort'],
  },
  'port number out of range': {
    props: { ...base(), containers: [{ image: 'my-image:1', portNumber: 70000 }] },
    lines: ['containers[0].portNumber (70000) must be a whole number between 1 and 65535 (or 0 for no port)'],
  },
  'port name too long': {
    props: { ...base(), containers: [{ image: 'my-image:1', portName: 'http-port-name-too-long' }], service: { targetPort: 8080 } },
    lines: [`containers[0].portName ("http-port-name-too-long") ${PORT_NAME}`],
  },
  'duplicate container names': {
    props: { ...base(), containers: [{ image: 'my-image:1' }, { name: 'app', image: 'sidecar:1', portNumber: 0 }] },
    lines: ['containers[1].name ("app") duplicates containers[0].name: container names must be unique in a pod (init containers included)'],
  },
  'second container without a name': {
    props: { ...base(), containers: [{ image: 'my-image:1' }, { image: 'sidecar:1', portNumber: 0 }] },
    lines: ['containers[1].name (undefined) is required for every container but the first'],
  },
  'environment variable name with a space and a bad CPU quantity': {
    props: { ...base(), containers: [{ image: 'my-image:1', envVariables: { 'LOG LEVEL': 'debug' }, resources: { cpu: { request: '100 m' } } }] },
    lines: [
      'containers[0].envVariables ("LOG LEVEL") keys must be environment variable names: letters, digits, "_", "-" or ".", not starting with a digit',
      'containers[0].resources.cpu.request ("100 m") must be a Kubernetes quantity such as "100m", "1" or "512Mi"',
    ],
  },
  'pod label overriding the selector label': {
    props: { ...base(), podMetadata: { labels: { app: 'other' } } },
    lines: ['podMetadata.labels.app ("other") must be "my-app" or absent: it is the app\'s selector label'],
  },

  // Workload: existing app
  'unnamed target port': {
    props: spec({ spec: { containers: [{ name: 'app', image: 'my-image:1', ports: [{ containerPort: 8080 }] }] } }),
    lines: ['service.targetPort ("http") is not the name of a container port (deploymentSpec.template.spec.containers has 8080 (unnamed)); name the port "http" or set service.targetPort'],
  },
  'existing container without an image': {
    props: spec({ spec: { containers: [{ name: 'app', ports: [{ containerPort: 8080, name: 'http' }] }] } }),
    lines: ['deploymentSpec.template.spec.containers[0].image (undefined) is required: the container image, e.g. "my-image:1"'],
  },
  'existing spec without containers': {
    props: spec({ spec: { containers: [] } }),
    lines: ['deploymentSpec.template.spec.containers ([]) must list at least one container'],
  },
  'selector that the template labels do not match': {
    props: spec({ metadata: { labels: { app: 'web' } }, spec: { containers: [plainContainer] } }, { selector: { matchLabels: { app: 'api' } } }),
    lines: ['deploymentSpec.template.metadata.labels ({"app":"web"}) must contain every selector.matchLabels entry (missing app=api)'],
  },
  'selector with only matchExpressions': {
    props: spec({ spec: { containers: [plainContainer] } }, { selector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] } }),
    lines: ['deploymentSpec.selector.matchLabels (undefined) must have at least one label: the Services and PodDisruptionBudgets select pods by these labels'],
  },
  'pod label "role" that Argo overwrites': {
    props: spec({ metadata: { labels: { app: 'my-app', role: 'backend' } }, spec: { containers: [plainContainer] } }),
    lines: ['deploymentSpec.template.metadata.labels.role ("backend") must not be set: Argo Rollouts sets "role" to stable or canary on the pods (the split PodDisruptionBudgets select it)'],
  },
  'whole Deployment of the wrong API version, in another namespace': {
    props: {
      ...base(),
      containers: undefined,
      namespace: 'prod',
      deployment: { apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: { spec: { containers: [plainContainer] } } } },
    },
    lines: [
      'deployment.apiVersion ("apps/v1beta1") must be "apps/v1"',
      'namespace ("prod") must match deployment.metadata.namespace ("shop") or be omitted',
    ],
  },

  // Services and traffic
  'Service port 0': { props: { ...base(), service: { port: 0 } }, lines: ['service.port (0) must be a whole number between 1 and 65535'] },
  'no hosts': { props: { ...base(), virtualService: { hosts: [] } }, lines: ['virtualService.hosts ([]) must list at least one host, e.g. "www.example.com"'] },
  'host in upper case': {
    props: { ...base(), virtualService: { hosts: ['WWW.Example.com'] } },
    lines: [`virtualService.hosts[0] ("WWW.Example.com") ${HOST}`],
  },
  'host listed twice': { props: { ...base(), virtualService: { hosts: ['www.example.com', 'www.example.com'] } }, lines: ['virtualService.hosts[1] ("www.example.com") is listed twice'] },
  'gateway with upper-case name': {
    props: { ...base(), virtualService: { hosts: ['a.example.com'], gateways: ['istio-system/Ingress'] } },
    lines: [`virtualService.gateways[0] ("istio-system/Ingress") ${GATEWAY}`],
  },
  'zero timeout and negative retries': {
    props: { ...base(), virtualService: { hosts: ['a.example.com'], timeout: Duration.seconds(0), retries: { attempts: -1 } } },
    lines: [
      `virtualService.timeout (Duration(0s)) ${ISTIO_DURATION}`,
      'virtualService.retries.attempts (-1) must be a whole number >= 0',
    ],
  },
  'empty route name': { props: { ...base(), virtualService: { hosts: ['a.example.com'], routeName: '' } }, lines: [`virtualService.routeName ("") ${DNS1123}`] },
  'missing VirtualService': {
    props: { ...base(), virtualService: undefined as never },
    lines: ['virtualService (undefined) is required: at least { hosts: ["www.example.com"] }'],
  },
  'root Service with a subset split': {
    props: { ...base(), rootService: true, trafficSplit: TrafficSplit.subset() },
    lines: ['rootService (true) only applies to the host split: with subsets the one Service already selects every pod'],
  },
  'same subset name twice': {
    props: { ...base(), trafficSplit: TrafficSplit.subset({ stableSubset: 'stable', canarySubset: 'stable' }) },
    lines: ['trafficSplit.canarySubset ("stable") must differ from trafficSplit.stableSubset'],
  },

  // Disruption budgets
  'PDB that forbids every eviction (maxUnavailable 0)': {
    props: { ...base(), disruptionBudgets: { stable: DisruptionBudget.maxUnavailable(0) } },
    lines: ['disruptionBudgets.stable.maxUnavailable (0) forbids every eviction of stable pods, so node drains block; allow at least 1'],
  },
  'PDB that forbids every eviction (minAvailable 100%)': {
    props: { ...base(), disruptionBudgets: { canary: DisruptionBudget.minAvailable('100%') } },
    lines: ['disruptionBudgets.canary.minAvailable ("100%") forbids every eviction of canary pods, so node drains block; use maxUnavailable: 1'],
  },
  'canary PDB minAvailable as large as the smallest canary': {
    props: { ...base(), disruptionBudgets: { canary: DisruptionBudget.minAvailable(2) } },
    lines: ['disruptionBudgets.canary.minAvailable (2) forbids every eviction when canary runs 2 pods; must be below 2, or use maxUnavailable: 1'],
  },
  'stable PDB minAvailable as large as the HPA minimum': {
    props: { ...base(), disruptionBudgets: { stable: DisruptionBudget.minAvailable(3) } },
    lines: ['disruptionBudgets.stable.minAvailable (3) forbids every eviction when stable runs 2 pods; must be below 2, or use maxUnavailable: 1'],
  },
  'PDB percentage above 100': {
    props: { ...base(), disruptionBudgets: { stable: DisruptionBudget.maxUnavailable('150%') } },
    lines: ['disruptionBudgets.stable.maxUnavailable ("150%") must be a whole number >= 0 or a percentage between "0%" and "100%"'],
  },

  // Rollout timing and workloadRef
  'scale-down delay below 30 s': {
    props: { ...base(), scaleDownDelay: Duration.seconds(10) },
    lines: ['scaleDownDelay (Duration(10s)) must be at least 30s (shorter delays remove the old pods before every Istio proxy has the new weights: 503s, argo-rollouts#587)'],
  },
  'fractional minReady': { props: { ...base(), minReady: Duration.millis(1500) }, lines: ['minReady (Duration(1500ms)) must be a Duration of whole seconds'] },
  'minPodsPerReplicaSet of 0': { props: { ...base(), minPodsPerReplicaSet: 0 }, lines: ['minPodsPerReplicaSet (0) must be a whole number >= 1'] },
  'minPodsPerReplicaSet above the fixed replicas': {
    props: { ...fixed(), replicas: 1, minPodsPerReplicaSet: 2 },
    lines: ["minPodsPerReplicaSet (2) must be at most replicas (1): more pods per ReplicaSet than the Rollout's replicas never count as healthy and every update ends Degraded (ProgressDeadlineExceeded); omit it (the default follows the replicas) or raise replicas"],
  },
  'minPodsPerReplicaSet above the HPA minimum': {
    props: { ...base(), autoscaling: { minReplicas: 2, maxReplicas: 10 }, minPodsPerReplicaSet: 3 },
    lines: ["minPodsPerReplicaSet (3) must be at most autoscaling.minReplicas (2): more pods per ReplicaSet than the Rollout's replicas never count as healthy and every update ends Degraded (ProgressDeadlineExceeded); omit it (the default follows the replicas) or raise autoscaling.minReplicas"],
  },
  'unknown scaleDown mode': { props: { ...base(), scaleDown: 'always' as WorkloadScaleDown }, lines: ['scaleDown ("always") must be one of "never", "onsuccess", "progressively"'] },
  'scaleDown with an inline template': {
    props: { ...base(), inlineTemplate: true, scaleDown: WorkloadScaleDown.ON_SUCCESS },
    lines: ['scaleDown ("onsuccess") only applies to workloadRef; remove it or set inlineTemplate: false'],
  },

  // What the API server, Istio or Argo refuses beyond the schema (issue 20, item 7).
  'wildcard host on a mesh-bound VirtualService': {
    props: { ...base(), virtualService: { hosts: ['*'] } },
    lines: ['virtualService.hosts[0] ("*") is refused by Istio on a VirtualService bound to the mesh (gateways unset or listing "mesh"): name the hosts, or list only ingress gateways'],
  },
  'wildcard host with the mesh among the gateways': {
    props: { ...base(), virtualService: { hosts: ['*'], gateways: ['istio-system/ingress', 'mesh'] } },
    lines: ['virtualService.hosts[0] ("*") is refused by Istio on a VirtualService bound to the mesh (gateways unset or listing "mesh"): name the hosts, or list only ingress gateways'],
  },
  'host label over 63 characters and gateway namespace over 63 characters': {
    props: { ...base(), virtualService: { hosts: [`${'a'.repeat(64)}.example.com`], gateways: [`${'n'.repeat(64)}/ingress`] } },
    lines: [`virtualService.hosts[0] ("${'a'.repeat(64)}.example.com") ${HOST}`, `virtualService.gateways[0] ("${'n'.repeat(64)}/ingress") ${GATEWAY}`],
  },
  'infinite route timeout and sub-millisecond per-try timeout': {
    props: { ...base(), virtualService: { hosts: ['a.example.com'], timeout: Duration.seconds(Infinity), retries: { attempts: 2, perTryTimeout: Duration.millis(0.5) } } },
    lines: [`virtualService.timeout (Duration(Infinityms)) ${ISTIO_DURATION}`, `virtualService.retries.perTryTimeout (Duration(0.5ms)) ${ISTIO_DURATION}`],
  },
  'unknown match key (a typo) and a string where a string match belongs': {
    props: { ...base(), virtualService: { hosts: ['a.example.com'], match: [{ methd: { exact: 'GET' } } as never, { method: 'GET' as never, uri: { prefix: '/api', exact: '/' } }] } },
    lines: [
      `virtualService.match[0].methd ({"exact":"GET"}) is not a match condition: the route would match every request; valid keys are ${MATCH_KEYS}`,
      'virtualService.match[1].method ("GET") must be a string match with exactly one of exact, prefix, regex, e.g. { prefix: "/api" }',
      'virtualService.match[1].uri ({"prefix":"/api","exact":"/"}) must be a string match with exactly one of exact, prefix, regex, e.g. { prefix: "/api" }',
    ],
  },
  'command and args given as strings': {
    props: { ...base(), containers: [{ image: 'my-image:1', command: 'npm start' as never, args: '--port=8080' as never }] },
    lines: [
      'containers[0].command ("npm start") must be a list of strings, e.g. ["npm", "start"]: a single string is not split into words',
      'containers[0].args ("--port=8080") must be a list of strings, e.g. ["--port=8080"]: a single string is not split into words',
    ],
  },
  'numbers where Kubernetes wants strings (env, annotation and label values)': {
    props: { ...base(), containers: [{ image: 'my-image:1', envVariables: { PORT: 8080 as never } }], podMetadata: { labels: { version: 2 as never }, annotations: { 'example.com/replicas': 3 as never } } },
    lines: [
      `containers[0].envVariables.PORT (8080) ${STRING}`,
      `podMetadata.labels.version (2) ${LABEL_VALUE}`,
      `podMetadata.annotations.example.com/replicas (3) ${STRING}`,
    ],
  },
  'numbers in an existing template (env value, template annotation)': {
    props: spec({ metadata: { annotations: { 'prometheus.io/port': 9090 } }, spec: { containers: [{ ...plainContainer, env: [{ name: 'DEBUG', value: true }] }] } }),
    lines: [
      `deploymentSpec.template.spec.containers[0].env[0].value (true) ${STRING}`,
      `deploymentSpec.template.metadata.annotations.prometheus.io/port (9090) ${STRING}`,
    ],
  },
  'probe given as a string': {
    props: { ...base(), containers: [{ image: 'my-image:1', readiness: '/healthz' as never, liveness: { httpGet: { path: '/' }, tcpSocket: { port: 8080 } } }] },
    lines: [
      'containers[0].readiness ("/healthz") must be a probe object with exactly one of exec, httpGet, tcpSocket, grpc, e.g. { httpGet: { path: "/healthz", port: "http" } }',
      'containers[0].liveness ({"httpGet":{"path":"/"},"tcpSocket":{"port":8080}}) must be a probe object with exactly one of exec, httpGet, tcpSocket, grpc, e.g. { httpGet: { path: "/healthz", port: "http" } }',
    ],
  },
  'requests above limits': {
    props: { ...base(), containers: [{ image: 'my-image:1', resources: { cpu: { request: '2', limit: '500m' }, memory: { request: '1Gi', limit: '1000Mi' } } }] },
    lines: [
      'containers[0].resources.cpu.request ("2") must be at most the cpu limit ("500m"): the API server refuses a request above its limit',
      'containers[0].resources.memory.request ("1Gi") must be at most the memory limit ("1000Mi"): the API server refuses a request above its limit',
    ],
  },
  'request above limit and a bad quantity in an existing container': {
    props: spec({ spec: { containers: [{ ...plainContainer, resources: { requests: { cpu: '1.5', memory: '-1Mi' }, limits: { cpu: '1', memory: '1 Gi' } } }] } }),
    lines: [
      'deploymentSpec.template.spec.containers[0].resources.requests.cpu ("1.5") must be at most the cpu limit ("1"): the API server refuses a request above its limit',
      'deploymentSpec.template.spec.containers[0].resources.requests.memory ("-1Mi") must be a quantity of 0 or more',
      `deploymentSpec.template.spec.containers[0].resources.limits.memory ("1 Gi") ${QUANTITY}`,
    ],
  },
  'invalid annotation keys': {
    props: { ...base(), podMetadata: { annotations: { 'bad key': 'x', 'example.com/': 'y', '/name': 'z' } } },
    lines: [`podMetadata.annotations ("bad key") keys ${QUALIFIED}`, `podMetadata.annotations ("example.com/") keys ${QUALIFIED}`, `podMetadata.annotations ("/name") keys ${QUALIFIED}`],
  },
  'label key name over 63, label key prefix over 253, label value over 63': {
    props: { ...base(), podMetadata: { labels: { ['k'.repeat(64)]: 'v', [`${'p'.repeat(250)}.com/k`]: 'v', tier: 'v'.repeat(64) } } },
    lines: [`podMetadata.labels ("${'k'.repeat(64)}") keys ${QUALIFIED}`, `podMetadata.labels ("${'p'.repeat(250)}.com/k") keys ${QUALIFIED}`, `podMetadata.labels.tier ("${'v'.repeat(64)}") ${LABEL_VALUE}`],
  },
  'HPA average values of 0 or less': {
    props: { ...base(), autoscaling: { metrics: [HpaMetric.pods('rps', '0'), HpaMetric.cpuAverageValue('-100m')] } },
    lines: [
      'autoscaling.metrics[0].averageValue ("0") must be above 0: the HPA divides the metric by it (the API server refuses 0 or less)',
      'autoscaling.metrics[1].averageValue ("-100m") must be above 0: the HPA divides the metric by it (the API server refuses 0 or less)',
    ],
  },
  'external metric selector with invalid labels': {
    props: { ...base(), autoscaling: { metrics: [HpaMetric.external('queue_messages', '30', { 'bad key': 'jobs', queue: 'a b' })] } },
    lines: [`autoscaling.metrics[0].matchLabels ("bad key") keys ${QUALIFIED}`, `autoscaling.metrics[0].matchLabels.queue ("a b") ${LABEL_VALUE}`],
  },
  'init container named like a container': {
    props: spec({ spec: { containers: [plainContainer], initContainers: [{ name: 'app', image: 'init:1' }] } }),
    lines: ['deploymentSpec.template.spec.initContainers[0].name ("app") duplicates deploymentSpec.template.spec.containers[0].name: container names must be unique in a pod (init containers included)'],
  },
  'matchExpressions the template labels do not satisfy': {
    props: spec(
      { metadata: { labels: { app: 'my-app', tier: 'api' } }, spec: { containers: [plainContainer] } },
      { selector: { matchLabels: { app: 'my-app' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }, { key: 'canary', operator: 'Exists' }, { key: 'tier', operator: 'Equals', values: ['api'] }] } },
    ),
    lines: [
      'deploymentSpec.selector.matchExpressions[0] ({"key":"tier","operator":"In","values":["web"]}) is not satisfied by the template labels (tier="api"): the selector must select the Deployment\'s own pods',
      'deploymentSpec.selector.matchExpressions[1] ({"key":"canary","operator":"Exists"}) is not satisfied by the template labels (canary is absent): the selector must select the Deployment\'s own pods',
      'deploymentSpec.selector.matchExpressions[2] ({"key":"tier","operator":"Equals","values":["api"]}) operator must be one of In, NotIn, Exists, DoesNotExist',
    ],
  },
  'chart namespace that conflicts with the Deployment\'s': {
    chartNamespace: 'prod',
    props: { ...base(), containers: undefined, deployment: { metadata: { name: 'web', namespace: 'shop' }, spec: { template: { spec: { containers: [plainContainer] } } } } },
    lines: ['deployment.metadata.namespace ("shop") conflicts with the chart\'s namespace ("prod"): the objects could go to only one of them; make the two the same or remove one'],
  },

  // HPA utilization without requests (issue 22)
  'CPU utilization target, container without a CPU request': {
    props: { ...example(), containers: [{ image: 'my-image:1', resources: { memory: { request: '256Mi' } } }] },
    lines: [
      'containers[0].resources.cpu.request (undefined) is required: autoscaling.metrics[0] targets 70 % cpu utilization, a share of every container\'s cpu request; ' +
        'without one in container "app" the HPA reports "missing request for cpu" and never scales. Set a cpu request (or limit), or use HpaMetric.cpuAverageValue(...)',
    ],
  },
  'memory utilization target, existing sidecar without a memory request': {
    props: {
      ...example(),
      autoscaling: { metrics: [HpaMetric.cpuAverageValue('500m'), HpaMetric.memoryUtilization(80)] },
      containers: undefined,
      deploymentSpec: { template: { spec: { containers: [{ ...plainContainer, resources: { limits: { memory: '1Gi' } } }, { name: 'proxy', image: 'proxy:1' }] } } },
    },
    lines: [
      'deploymentSpec.template.spec.containers[1].resources.requests.memory (undefined) is required: autoscaling.metrics[1] targets 80 % memory utilization, a share of every container\'s memory request; ' +
        'without one in container "proxy" the HPA reports "missing request for memory" and never scales. Set a memory request (or limit), or use HpaMetric.memoryAverageValue(...)',
    ],
  },

  // Secure defaults (issue 22)
  'securityContext props that cannot work': {
    props: {
      ...base(),
      containers: [
        { image: 'my-image:1', securityContext: { runAsUser: 0, capabilitiesAdd: ['SYS_ADMIN'] } },
        { name: 'side', image: 'side:1', portNumber: 0, securityContext: { seccompProfile: SeccompProfileType.LOCALHOST, readOnly: true } as never },
      ],
    },
    lines: [
      'containers[0].securityContext.runAsUser (0) must not be 0 while runAsNonRoot is true (the kubelet refuses to start the container); use a non-zero UID or set runAsNonRoot: false',
      'containers[0].securityContext.capabilitiesAdd (["SYS_ADMIN"]) cannot add SYS_ADMIN while allowPrivilegeEscalation is false (the API server rejects it); set allowPrivilegeEscalation: true too',
      'containers[1].securityContext.readOnly (true) is not a securityContext prop (valid: runAsNonRoot, runAsUser, runAsGroup, allowPrivilegeEscalation, readOnlyRootFilesystem, capabilitiesDrop, capabilitiesAdd, seccompProfile, seccompLocalhostProfile)',
      'containers[1].securityContext.seccompLocalhostProfile (undefined) is required with seccompProfile LOCALHOST: the profile file on the node',
    ],
  },
  'securityContext values of the wrong type': {
    props: {
      ...base(),
      securityDefaults: false,
      containers: [{ image: 'my-image:1', securityContext: { runAsNonRoot: 'yes', runAsGroup: -1, capabilitiesDrop: ['all'], seccompProfile: 'Default' } as never }],
    },
    lines: [
      'containers[0].securityContext.runAsNonRoot ("yes") must be true or false',
      'containers[0].securityContext.runAsGroup (-1) must be a whole number >= 0 (a UID/GID)',
      'containers[0].securityContext.capabilitiesDrop (["all"]) must be a list of capability names such as "ALL" or "NET_BIND_SERVICE"',
      'containers[0].securityContext.seccompProfile ("Default") must be SeccompProfileType.RUNTIME_DEFAULT, LOCALHOST or UNCONFINED',
    ],
  },
  'securityDefaults that is not a boolean': { props: { ...base(), securityDefaults: 'restricted' as never }, lines: ['securityDefaults ("restricted") must be true or false'] },

  // Several problems at once: one error, every line.
  'several problems reported together': {
    props: {
      ...base(),
      autoscaling: { minReplicas: 4, maxReplicas: 3 },
      steps: [CanaryStep.setWeight(10), CanaryStep.pause('15x'), CanaryStep.setWeight(120)],
      virtualService: { hosts: [] },
    },
    lines: [
      'autoscaling.minReplicas (4) must be <= autoscaling.maxReplicas (3)',
      `steps[1].pause.duration ("15x") ${DURATION}`,
      'steps[2].setWeight (120) must be between 0 and 100',
      'virtualService.hosts ([]) must list at least one host, e.g. "www.example.com"',
    ],
  },
};

const errorOf = (fn: () => unknown): CanaryAppError => thrownBy(fn, CanaryAppError);

describe('bad-input catalogue', () => {
  it('has at least 40 entries', () => {
    expect(Object.keys(CATALOGUE).length).toBeGreaterThanOrEqual(40);
  });

  it.each(Object.entries(CATALOGUE))('%s', (_name, entry) => {
    const chart = new Chart(Testing.app(), 'test', { namespace: entry.chartNamespace });
    entry.before?.(chart);
    const err = errorOf(() => new CanaryApp(chart, 'App', entry.props));
    expect(err.lines).toEqual(entry.lines);
    const count = entry.lines.length === 1 ? '1 problem' : `${entry.lines.length} problems`;
    expect(err.message).toBe([`Invalid CanaryApp "${entry.props.name}" at "test/App": ${count}`, ...entry.lines.map((l) => `  ${l}`)].join('\n'));
    // Nothing half-built is left behind in the chart.
    expect(chart.node.tryFindChild('App')?.node.children ?? []).toEqual([]);
  });

  it('the catalogue\'s base props are valid (each entry fails for its own reason)', () => {
    expect(() => new CanaryApp(new Chart(Testing.app(), 'test'), 'App', example())).not.toThrow();
    expect(() => new CanaryApp(new Chart(Testing.app(), 'test'), 'App', base())).not.toThrow();
    expect(() => new CanaryApp(new Chart(Testing.app(), 'test'), 'App', fixed())).not.toThrow();
    expect(() => new CanaryApp(new Chart(Testing.app(), 'test'), 'App', spec({ spec: { containers: [plainContainer] } }))).not.toThrow();
  });
});

describe('companion bad inputs', () => {
  it('RolloutsRbac lists every problem', () => {
    const err = errorOf(() => new RolloutsRbac(new Chart(Testing.app(), 'test'), 'Rbac', {
      readerRoleName: 'Readers',
      writerRoleName: 'w',
      readers: {},
      writers: { serviceAccounts: ['deployer'] },
    }));
    expect(err.lines).toEqual([
      `readerRoleName ("Readers") ${DNS1123}`,
      'readers ({}) must name at least one group, user or service account (or be omitted)',
      'writers.serviceAccounts (["deployer"]) need a namespace (props.namespace or the chart\'s): ServiceAccount subjects must name theirs',
    ]);
  });

  it('ArgoRolloutsControllerValues rejects bad quantities', () => {
    const err = errorOf(() => new ArgoRolloutsControllerValues({ memory: '512 MB', pdbMinAvailable: -1 }));
    expect(err.lines).toEqual([
      'memory ("512 MB") must be a Kubernetes quantity such as "512Mi"',
      'pdbMinAvailable (-1) must be a whole number >= 0',
    ]);
  });
});
