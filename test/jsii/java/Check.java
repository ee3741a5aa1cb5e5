// The Java side of the jsii language tests (issue 15), run by test/jsii/java.sh with the class path
// Maven resolves for the built jar: compares what Java synthesizes, throws and plans with what the
// TypeScript library gives (test/jsii/reference.ts), and runs the README's java quick start.
//
// Usage: java Check REFERENCE_DIR README_CLASS_DIR WORK_DIR
// README_CLASS_DIR holds the README's first java block compiled (class Main).

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdk8scanary.AutoscalingOptions;
import io.github.cdk8scanary.CanaryApp;
import io.github.cdk8scanary.CanaryAppProps;
import io.github.cdk8scanary.CanaryContainerProps;
import io.github.cdk8scanary.CanaryPlan;
import io.github.cdk8scanary.CanaryPlanRow;
import io.github.cdk8scanary.CanaryRuntime;
import io.github.cdk8scanary.CanaryStep;
import io.github.cdk8scanary.ContainerResources;
import io.github.cdk8scanary.HpaMetric;
import io.github.cdk8scanary.Problem;
import io.github.cdk8scanary.ResourceQuantities;
import io.github.cdk8scanary.ServiceOptions;
import io.github.cdk8scanary.StepProfile;
import io.github.cdk8scanary.VirtualServiceOptions;
import java.io.File;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cdk8s.App;
import org.cdk8s.AppProps;
import org.cdk8s.Chart;
import org.cdk8s.ChartProps;
import software.amazon.jsii.JsiiError;

public class Check {
  private static final List<String> failures = new ArrayList<>();

  static void check(String name, boolean ok, String detail) {
    System.out.println((ok ? "ok   " : "FAIL ") + name);
    if (!ok) {
      failures.add(name);
      if (!detail.isEmpty()) System.out.println(detail);
    }
  }

  static String read(Path path) throws Exception {
    return Files.readString(path, StandardCharsets.UTF_8);
  }

  static void sameFile(String name, Path actualPath, Path expectedPath) throws Exception {
    String actual = read(actualPath), expected = read(expectedPath);
    String detail = "";
    if (!actual.equals(expected)) {
      String[] a = actual.split("\n", -1), e = expected.split("\n", -1);
      int line = 0;
      while (line < a.length && line < e.length && a[line].equals(e[line])) line++;
      detail = "  first difference at line " + (line + 1) + ":\n  java: " + (line < a.length ? a[line] : "<end>")
          + "\n  typescript: " + (line < e.length ? e[line] : "<end>");
    }
    check(name, actual.equals(expected), detail);
  }

  /** The example's my-app (src/main.ts myAppProps), steps left to the caller. */
  static CanaryAppProps.Builder myAppProps() {
    return CanaryAppProps.builder()
        .name("my-app")
        .containers(List.of(CanaryContainerProps.builder()
            .name("app").image("my-image:1").portNumber(8080).portName("http")
            .resources(ContainerResources.builder()
                .cpu(ResourceQuantities.builder().request("250m").build())
                .memory(ResourceQuantities.builder().request("256Mi").limit("256Mi").build())
                .build())
            .readiness(Map.of("tcpSocket", Map.of("port", "http")))
            .build()))
        .service(ServiceOptions.builder().port(80).targetPort("http").build())
        .virtualService(VirtualServiceOptions.builder()
            .gateways(List.of("istio-system/ingress-gateway")).hosts(List.of("www.example.com")).build())
        .autoscaling(AutoscalingOptions.builder()
            .minReplicas(2).maxReplicas(10).metrics(List.of(HpaMetric.cpuUtilization(70))).build());
  }

  /** JSON-like values with every number as a BigDecimal, so 2 (Integer) equals 2 (Long or Double). */
  @SuppressWarnings("unchecked")
  static Object normalize(Object value) {
    if (value instanceof Number) return new BigDecimal(value.toString()).stripTrailingZeros();
    if (value instanceof Map) {
      Map<String, Object> out = new TreeMap<>();
      ((Map<String, Object>) value).forEach((k, v) -> out.put(k, normalize(v)));
      return out;
    }
    if (value instanceof List) {
      List<Object> out = new ArrayList<>();
      for (Object v : (List<Object>) value) out.add(normalize(v));
      return out;
    }
    return value;
  }

  /** The plan as the TypeScript reference writes it (camelCase keys, no pause when there is none). */
  static Object planOf(CanaryPlan result) {
    List<Object> rows = new ArrayList<>();
    for (CanaryPlanRow r : result.getRows()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("step", r.getStep());
      row.put("action", r.getAction());
      row.put("canaryWeight", r.getCanaryWeight());
      row.put("stableWeight", r.getStableWeight());
      row.put("canaryReplicas", r.getCanaryReplicas());
      row.put("stableReplicas", r.getStableReplicas());
      row.put("totalPods", r.getTotalPods());
      row.put("podsAdded", r.getPodsAdded());
      if (r.getPause() != null) row.put("pause", r.getPause());
      rows.add(row);
    }
    return normalize(Map.of("rollout", result.getRollout(), "replicas", result.getReplicas(), "rows", rows));
  }

  static int runReadme(Path classDir, Path cwd) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = classDir + File.pathSeparator + System.getProperty("java.class.path");
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", classPath, "Main").directory(cwd.toFile()).inheritIO();
    pb.environment().keySet().removeIf(k -> k.startsWith("CDK8S_"));
    return pb.start().waitFor();
  }

  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Exception {
    Path reference = Path.of(args[0]), readmeClasses = Path.of(args[1]), work = Path.of(args[2]);
    Map<String, Object> ref = new ObjectMapper().readValue(read(reference.resolve("reference.json")), Map.class);
    String badMessage = (String) ref.get("badMessage");
    check("the TypeScript reference has a bad-input message with a line per problem",
        badMessage.startsWith("Invalid CanaryApp") && badMessage.split("\n").length >= 4, badMessage);

    // 1. The README's first java block, run as written in an empty directory: dist/my-app.k8s.yaml.
    Path quickstart = Files.createDirectories(work.resolve("quickstart"));
    int code = runReadme(readmeClasses, quickstart);
    check("README java quick start runs", code == 0, "  exit code " + code);
    if (code == 0) {
      sameFile("README java quick start writes dist/my-app.k8s.yaml as TypeScript does",
          quickstart.resolve("dist/my-app.k8s.yaml"), reference.resolve("my-app.k8s.yaml"));
    }

    // 2. The example's automatic and manual (namespace manual-demo) charts, synthesized from Java.
    Path outdir = work.resolve("synth");
    App app = new App(AppProps.builder().outdir(outdir.toString()).build());
    Chart automatic = new Chart(app, "my-app");
    new CanaryApp(automatic, "MyApp", myAppProps().steps(StepProfile.automatic()).build());
    Chart manual = new Chart(app, "my-app-manual", ChartProps.builder().namespace("manual-demo").build());
    new CanaryApp(manual, "MyApp", myAppProps().steps(StepProfile.manual()).build());
    app.synth();
    sameFile("automatic profile app writes my-app.k8s.yaml as TypeScript does",
        outdir.resolve("my-app.k8s.yaml"), reference.resolve("my-app.k8s.yaml"));
    sameFile("manual profile app writes my-app-manual.k8s.yaml as TypeScript does",
        outdir.resolve("my-app-manual.k8s.yaml"), reference.resolve("my-app-manual.k8s.yaml"));

    // 3. Bad input: one error listing every problem with its path, the TypeScript message.
    CanaryAppProps bad = myAppProps().name("Bad_Name").replicas(-1).steps(List.of(CanaryStep.canaryWeight(120))).build();
    String message = null;
    try {
      new CanaryApp(new Chart(new App(), "bad"), "MyApp", bad);
    } catch (JsiiError e) { // jsii throws the JavaScript error as a JsiiError carrying its message
      message = e.getMessage();
    }
    check("bad input throws one JsiiError", message != null, "");
    if (message != null) {
      check("the error carries the TypeScript CanaryAppError message (every problem, with its path)",
          message.contains(badMessage), "  java: " + message + "\n  typescript: " + badMessage);
    }
    List<Object> problems = new ArrayList<>();
    for (Problem p : CanaryApp.problemsOf(bad)) problems.add(Map.of("path", p.getPath(), "expected", p.getExpected()));
    Object expectedProblems = normalize(ref.get("problems"));
    check("CanaryApp.problemsOf lists the same problems", normalize(problems).equals(expectedProblems) && problems.size() >= 3,
        "  java: " + problems + "\n  typescript: " + expectedProblems);

    // 4. The plan of the example, from Java, equals the TypeScript plan: of its YAML and of the chart.
    Object expectedPlan = normalize(ref.get("plan"));
    Object fromYaml = planOf(CanaryRuntime.plan(read(reference.resolve("my-app.k8s.yaml"))));
    check("CanaryRuntime.plan of the example equals the TypeScript plan", fromYaml.equals(expectedPlan),
        "  java: " + fromYaml + "\n  typescript: " + expectedPlan);
    Object fromChart = planOf(CanaryRuntime.planChart(automatic));
    check("CanaryRuntime.planChart of the Java chart equals the TypeScript plan", fromChart.equals(expectedPlan),
        "  java: " + fromChart + "\n  typescript: " + expectedPlan);

    System.out.println(failures.isEmpty() ? "java: all checks passed" : "java: " + failures.size() + " failed");
    System.exit(failures.isEmpty() ? 0 : 1);
  }
}
