/**
 * The TypeScript side of the jsii language tests (issue 15): writes into the directory given what the
 * other languages must reproduce byte for byte: the example app's files (`src/main.ts`, automatic and
 * manual profiles), the message and problems of the bad-input app, and the plan of the example.
 *
 * Usage: tsx test/jsii/reference.ts OUTDIR
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { CanaryApp, CanaryAppError, CanaryRuntime, CanaryStep, StepProfile } from '../../src';
import { buildExampleApp, myAppProps } from '../../src/main';

const outdir = process.argv[2];
if (!outdir) throw new Error('usage: tsx test/jsii/reference.ts OUTDIR');
mkdirSync(outdir, { recursive: true });

const app = new App({ outdir });
buildExampleApp(app);
app.synth();

/** The bad input every language passes: the same props, three problems. */
const bad = { ...myAppProps(StepProfile.automatic()), name: 'Bad_Name', replicas: -1, steps: [CanaryStep.setWeight(120)] };
let message = '';
try {
  new CanaryApp(new Chart(new App(), 'bad'), 'MyApp', bad);
} catch (e) {
  if (!(e instanceof CanaryAppError)) throw e;
  message = e.message;
}
const problems = CanaryApp.problemsOf(bad).map((p) => ({ path: p.path, expected: p.expected }));
const plan = CanaryRuntime.plan(readFileSync(join(outdir, 'my-app.k8s.yaml'), 'utf8'));
writeFileSync(join(outdir, 'reference.json'), JSON.stringify({ badMessage: message, problems, plan }, null, 2));
