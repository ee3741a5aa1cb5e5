/**
 * Example app: my-app of the production write-up this project grew from (an Argo Rollouts + Istio
 * canary migration at scale and its pitfalls; see README.md), as cdk8s code. `npm run synth` writes the
 * manifests to dist/ (one file per chart) plus dist/argo-rollouts-values.yaml, the controller's
 * Helm values.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import {
  ArgoRolloutsControllerValues,
  CanaryAnalysis,
  CanaryApp,
  HpaMetric,
  PrometheusSource,
  RolloutsRbac,
  StepProfile,
  type CanaryAppProps,
} from './constructs';

/** The write-up's my-app; `steps` picks the profile. */
export function myAppProps(steps: StepProfile): CanaryAppProps {
  return {
    name: 'my-app',
    containers: [
      {
        name: 'app',
        image: 'my-image:1',
        portNumber: 8080,
        portName: 'http',
        // The HPA's 70 % CPU target is a share of this request: without it the HPA never scales.
        resources: { cpu: { request: '250m' }, memory: { request: '256Mi', limit: '256Mi' } },
        // Ready (and given traffic weight) only once the app accepts connections on its port.
        readiness: { tcpSocket: { port: 'http' } },
      },
    ],
    service: { port: 80, targetPort: 'http' },
    virtualService: { gateways: ['istio-system/ingress-gateway'], hosts: ['www.example.com'] },
    autoscaling: { minReplicas: 2, maxReplicas: 10, metrics: [HpaMetric.cpuUtilization(70)] },
    steps,
  };
}

/** The error-rate gate of the example (issue 8): 5xx share of the canary at most 1 %, queried from Grafana Mimir. */
export function exampleAnalysis(): CanaryAnalysis {
  return CanaryAnalysis.errorRateGate(PrometheusSource.mimir('http://mimir-query-frontend.mimir.svc:8080/prometheus', 'my-team'));
}

/**
 * Builds the example app: my-app (automatic), my-app in namespace manual-demo (manual), my-app in
 * namespace gated-demo (automatic with the error-rate gate), and the RBAC roles.
 */
export function buildExampleApp(app: App): void {
  const automatic = new Chart(app, 'my-app');
  new CanaryApp(automatic, 'MyApp', myAppProps(StepProfile.automatic()));

  const manual = new Chart(app, 'my-app-manual', { namespace: 'manual-demo' });
  new CanaryApp(manual, 'MyApp', myAppProps(StepProfile.manual()));

  const gated = new Chart(app, 'my-app-gated', { namespace: 'gated-demo' });
  new CanaryApp(gated, 'MyApp', { ...myAppProps(StepProfile.automatic()), analysis: exampleAnalysis() });

  const rbac = new Chart(app, 'rollouts-rbac');
  new RolloutsRbac(rbac, 'Rbac');
}

if (require.main === module) {
  const app = new App();
  buildExampleApp(app);
  app.synth();
  writeFileSync(join(app.outdir, 'argo-rollouts-values.yaml'), new ArgoRolloutsControllerValues().toYaml());
}
