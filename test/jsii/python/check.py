"""The Python side of the jsii language tests (issue 15), run by test/jsii/python.sh in a fresh venv
holding only the built wheel and PyPI's cdk8s, constructs and cdk8s-plus-28.

Usage: python check.py REFERENCE_DIR README_BLOCK_FILE WORK_DIR

REFERENCE_DIR holds what test/jsii/reference.ts wrote with the TypeScript library.
"""
import json
import os
import subprocess
import sys

from cdk8s import App, Chart
from cdk8s_canary import (
    CanaryApp,
    CanaryAppProps,
    CanaryContainerProps,
    CanaryRuntime,
    CanaryStep,
    ContainerResources,
    HpaMetric,
    ResourceQuantities,
    StepProfile,
)

REFERENCE, README_BLOCK, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name)
    if not ok:
        failures.append(name)
        if detail:
            print(detail)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def same_file(name, actual_path, expected_path):
    actual, expected = read(actual_path), read(expected_path)
    detail = ""
    if actual != expected:
        a, e = actual.splitlines(), expected.splitlines()
        line = next((i for i, (x, y) in enumerate(zip(a, e)) if x != y), min(len(a), len(e)))
        detail = f"  first difference at line {line + 1}:\n  python: {a[line:line + 1]}\n  typescript: {e[line:line + 1]}"
    check(name, actual == expected, detail)


def my_app_props(steps, **overrides):
    """The example's my-app (src/main.ts myAppProps), as Python keyword arguments."""
    props = dict(
        name="my-app",
        containers=[CanaryContainerProps(
            name="app", image="my-image:1", port_number=8080, port_name="http",
            resources=ContainerResources(cpu=ResourceQuantities(request="250m"), memory=ResourceQuantities(request="256Mi", limit="256Mi")),
            readiness={"tcpSocket": {"port": "http"}},
        )],
        service={"port": 80, "target_port": "http"},
        virtual_service={"gateways": ["istio-system/ingress-gateway"], "hosts": ["www.example.com"]},
        autoscaling={"min_replicas": 2, "max_replicas": 10, "metrics": [HpaMetric.cpu_utilization(70)]},
        steps=steps,
    )
    props.update(overrides)
    return props


reference = json.loads(read(os.path.join(REFERENCE, "reference.json")))
check("the TypeScript reference has a bad-input message with a line per problem",
      reference["badMessage"].startswith("Invalid CanaryApp") and reference["badMessage"].count("\n") >= 3, repr(reference["badMessage"]))

# 1. The README's first python block, run as written in an empty directory: dist/my-app.k8s.yaml.
quickstart = os.path.join(WORK, "quickstart")
os.makedirs(quickstart, exist_ok=True)
env = {k: v for k, v in os.environ.items() if not k.startswith("CDK8S_")}
run = subprocess.run([sys.executable, README_BLOCK], cwd=quickstart, env=env, capture_output=True, text=True)
check("README python quick start runs", run.returncode == 0, run.stdout + run.stderr)
if run.returncode == 0:
    same_file("README python quick start writes dist/my-app.k8s.yaml as TypeScript does",
              os.path.join(quickstart, "dist", "my-app.k8s.yaml"), os.path.join(REFERENCE, "my-app.k8s.yaml"))

# 2. The manual profile, in namespace manual-demo (src/main.ts's my-app-manual chart).
outdir = os.path.join(WORK, "manual")
app = App(outdir=outdir)
CanaryApp(Chart(app, "my-app-manual", namespace="manual-demo"), "MyApp", **my_app_props(StepProfile.manual()))
app.synth()
same_file("manual profile app writes my-app-manual.k8s.yaml as TypeScript does",
          os.path.join(outdir, "my-app-manual.k8s.yaml"), os.path.join(REFERENCE, "my-app-manual.k8s.yaml"))

# 3. Bad input: one error listing every problem with its path, the TypeScript message.
bad = my_app_props([CanaryStep.canary_weight(120)], name="Bad_Name", replicas=-1)
message = None
try:
    CanaryApp(Chart(App(), "bad"), "MyApp", **bad)
except Exception as e:  # jsii raises the JavaScript error as a Python exception carrying its message
    message = str(e)
check("bad input raises one error", message is not None)
if message is not None:
    check("the error carries the TypeScript CanaryAppError message (every problem, with its path)",
          reference["badMessage"] in message, f"  python: {message!r}\n  typescript: {reference['badMessage']!r}")
problems = [{"path": p.path, "expected": p.expected} for p in CanaryApp.problems_of(CanaryAppProps(**bad))]
check("CanaryApp.problems_of lists the same problems", problems == reference["problems"] and len(problems) >= 3,
      f"  python: {problems}\n  typescript: {reference['problems']}")

# 4. The plan of the example, from Python, equals the TypeScript plan.
result = CanaryRuntime.plan(read(os.path.join(REFERENCE, "my-app.k8s.yaml")))
FIELDS = ["step", "action", "canary_weight", "stable_weight", "canary_replicas", "stable_replicas", "total_pods", "pods_added", "pause"]


def camel(name):
    head, *rest = name.split("_")
    return head + "".join(w.capitalize() for w in rest)


rows = [{camel(f): getattr(r, f) for f in FIELDS if getattr(r, f) is not None} for r in result.rows]
plan = {"rollout": result.rollout, "replicas": result.replicas, "rows": rows}
check("CanaryRuntime.plan of the example equals the TypeScript plan", plan == reference["plan"],
      f"  python: {json.dumps(plan)[:400]}\n  typescript: {json.dumps(reference['plan'])[:400]}")

print(f"python: {len(failures)} failed" if failures else "python: all checks passed")
sys.exit(1 if failures else 0)
