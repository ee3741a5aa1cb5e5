// The Go side of the jsii language tests (issue 15), run by test/jsii/go.sh in a temporary module
// that holds only the built module (packages/go, through replace directives) and the module proxy's
// jsii runtime, constructs and cdk8s-plus-28 modules. The same checks as test/jsii/python/check.py.
//
// Usage: check REFERENCE_DIR QUICKSTART_BINARY WORK_DIR
//
// REFERENCE_DIR holds what test/jsii/reference.ts wrote with the TypeScript library.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-canary/cdk8s-canary-go/cdk8scanary"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
)

var failures []string

func check(name string, ok bool, detail string) {
	if ok {
		fmt.Println("ok   " + name)
		return
	}
	fmt.Println("FAIL " + name)
	failures = append(failures, name)
	if detail != "" {
		fmt.Println(detail)
	}
}

func read(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return string(data)
}

func sameFile(name, actualPath, expectedPath string) {
	actual, expected := read(actualPath), read(expectedPath)
	detail := ""
	if actual != expected {
		a, e := strings.Split(actual, "\n"), strings.Split(expected, "\n")
		line := 0
		for line < len(a) && line < len(e) && a[line] == e[line] {
			line++
		}
		at := func(lines []string) string {
			if line < len(lines) {
				return fmt.Sprintf("%q", lines[line])
			}
			return "(end of file)"
		}
		detail = fmt.Sprintf("  first difference at line %d:\n  go: %s\n  typescript: %s", line+1, at(a), at(e))
	}
	check(name, actual == expected, detail)
}

// myAppProps is the example's my-app (src/main.ts myAppProps) in Go.
func myAppProps(steps interface{}) *cdk8scanary.CanaryAppProps {
	return &cdk8scanary.CanaryAppProps{
		Name: jsii.String("my-app"),
		Containers: &[]*cdk8scanary.CanaryContainerProps{{
			Name: jsii.String("app"), Image: jsii.String("my-image:1"), PortNumber: jsii.Number(8080), PortName: jsii.String("http"),
			Resources: &cdk8scanary.ContainerResources{
				Cpu:    &cdk8scanary.ResourceQuantities{Request: jsii.String("250m")},
				Memory: &cdk8scanary.ResourceQuantities{Request: jsii.String("256Mi"), Limit: jsii.String("256Mi")},
			},
			Readiness: &map[string]interface{}{"tcpSocket": map[string]interface{}{"port": "http"}},
		}},
		Service:        &cdk8scanary.ServiceOptions{Port: jsii.Number(80), TargetPort: jsii.String("http")},
		VirtualService: &cdk8scanary.VirtualServiceOptions{Gateways: jsii.Strings("istio-system/ingress-gateway"), Hosts: jsii.Strings("www.example.com")},
		Autoscaling: &cdk8scanary.AutoscalingOptions{
			MinReplicas: jsii.Number(2), MaxReplicas: jsii.Number(10),
			Metrics: &[]cdk8scanary.HpaMetric{cdk8scanary.HpaMetric_CpuUtilization(jsii.Number(70))},
		},
		Steps: steps,
	}
}

// reference is test/jsii/reference.ts's reference.json.
type reference struct {
	BadMessage string                   `json:"badMessage"`
	Problems   []map[string]interface{} `json:"problems"`
	Plan       interface{}              `json:"plan"`
}

// generic turns a value into what encoding/json reads back, leaving out null fields (TypeScript's
// JSON leaves out undefined ones), so Go structs compare with the TypeScript reference.
func generic(v interface{}) interface{} {
	data, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	var out interface{}
	if err := json.Unmarshal(data, &out); err != nil {
		return err.Error()
	}
	return dropNulls(out)
}

func dropNulls(v interface{}) interface{} {
	switch t := v.(type) {
	case map[string]interface{}:
		for k, x := range t {
			if x == nil {
				delete(t, k)
			} else {
				t[k] = dropNulls(x)
			}
		}
	case []interface{}:
		for i, x := range t {
			t[i] = dropNulls(x)
		}
	}
	return v
}

func asJSON(v interface{}) string {
	data, _ := json.Marshal(v)
	if len(data) > 400 {
		data = data[:400]
	}
	return string(data)
}

// quickstart runs the README's first go block (built as a binary) in an empty directory.
func quickstart(binary, work, ref string) {
	dir := filepath.Join(work, "quickstart-run")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		check("README go quick start runs", false, err.Error())
		return
	}
	cmd := exec.Command(binary)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CDK8S_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.CombinedOutput()
	check("README go quick start runs", err == nil, string(out))
	if err == nil {
		sameFile("README go quick start writes dist/my-app.k8s.yaml as TypeScript does",
			filepath.Join(dir, "dist", "my-app.k8s.yaml"), filepath.Join(ref, "my-app.k8s.yaml"))
	}
}

// badInput checks that bad input panics with the TypeScript CanaryAppError message and that
// CanaryApp_ProblemsOf lists the same problems.
func badInput(want reference) {
	bad := myAppProps(&[]cdk8scanary.CanaryStep{cdk8scanary.CanaryStep_CanaryWeight(jsii.Number(120))})
	bad.Name = jsii.String("Bad_Name")
	bad.Replicas = jsii.Number(-1)
	message := func() (message *string) {
		defer func() {
			if r := recover(); r != nil {
				text := fmt.Sprint(r)
				message = &text
			}
		}()
		cdk8scanary.NewCanaryApp(cdk8s.NewChart(cdk8s.NewApp(nil), jsii.String("bad"), nil), jsii.String("MyApp"), bad)
		return nil
	}()
	check("bad input raises one error", message != nil, "")
	if message != nil {
		check("the error carries the TypeScript CanaryAppError message (every problem, with its path)",
			strings.Contains(*message, want.BadMessage), fmt.Sprintf("  go: %q\n  typescript: %q", *message, want.BadMessage))
	}
	problems := []map[string]interface{}{}
	for _, p := range *cdk8scanary.CanaryApp_ProblemsOf(bad, nil) {
		problems = append(problems, map[string]interface{}{"path": *p.Path, "expected": *p.Expected})
	}
	check("CanaryApp_ProblemsOf lists the same problems", reflect.DeepEqual(problems, want.Problems) && len(problems) >= 3,
		fmt.Sprintf("  go: %v\n  typescript: %v", problems, want.Problems))
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: check REFERENCE_DIR QUICKSTART_BINARY WORK_DIR")
		os.Exit(2)
	}
	ref, binary, work := os.Args[1], os.Args[2], os.Args[3]
	var want reference
	if err := json.Unmarshal([]byte(read(filepath.Join(ref, "reference.json"))), &want); err != nil {
		fmt.Fprintln(os.Stderr, "go: reference.json: "+err.Error())
		os.Exit(2)
	}
	check("the TypeScript reference has a bad-input message with a line per problem",
		strings.HasPrefix(want.BadMessage, "Invalid CanaryApp") && strings.Count(want.BadMessage, "\n") >= 3, fmt.Sprintf("%q", want.BadMessage))

	// 1. The README's first go block, run as written in an empty directory: dist/my-app.k8s.yaml.
	quickstart(binary, work, ref)

	// 2. The manual profile, in namespace manual-demo (src/main.ts's my-app-manual chart), and the
	// automatic one again for planChart below.
	outdir := filepath.Join(work, "manual")
	app := cdk8s.NewApp(&cdk8s.AppProps{Outdir: jsii.String(outdir)})
	manual := cdk8s.NewChart(app, jsii.String("my-app-manual"), &cdk8s.ChartProps{Namespace: jsii.String("manual-demo")})
	cdk8scanary.NewCanaryApp(manual, jsii.String("MyApp"), myAppProps(cdk8scanary.StepProfile_Manual()))
	app.Synth()
	sameFile("manual profile app writes my-app-manual.k8s.yaml as TypeScript does",
		filepath.Join(outdir, "my-app-manual.k8s.yaml"), filepath.Join(ref, "my-app-manual.k8s.yaml"))

	// 3. Bad input: one error listing every problem with its path, the TypeScript message.
	badInput(want)

	// 4. The plan of the example, from Go, equals the TypeScript plan: of its YAML and of its chart.
	plan := generic(cdk8scanary.CanaryRuntime_Plan(jsii.String(read(filepath.Join(ref, "my-app.k8s.yaml"))), nil))
	check("CanaryRuntime_Plan of the example equals the TypeScript plan", reflect.DeepEqual(plan, want.Plan),
		fmt.Sprintf("  go: %s\n  typescript: %s", asJSON(plan), asJSON(want.Plan)))
	automatic := cdk8s.NewChart(cdk8s.NewApp(nil), jsii.String("my-app"), nil)
	cdk8scanary.NewCanaryApp(automatic, jsii.String("MyApp"), myAppProps(cdk8scanary.StepProfile_Automatic()))
	chartPlan := generic(cdk8scanary.CanaryRuntime_PlanChart(automatic, nil))
	check("CanaryRuntime_PlanChart of the example chart equals the TypeScript plan", reflect.DeepEqual(chartPlan, want.Plan),
		fmt.Sprintf("  go: %s\n  typescript: %s", asJSON(chartPlan), asJSON(want.Plan)))

	if len(failures) > 0 {
		fmt.Printf("go: %d failed\n", len(failures))
		os.Exit(1)
	}
	fmt.Println("go: all checks passed")
}
