package io.pricetide.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pricetide.config.AlertSettings;
import io.pricetide.config.AppConfig;
import io.pricetide.config.ConfigLoader;
import io.pricetide.metrics.Meters;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads the files of {@code deploy/} as their tools would and checks what each must hold: the Kubernetes manifests
 * (cluster mode: the members, the headless Service and the cluster ports; probes, ports, resources, non-root security
 * contexts, the PodDisruptionBudget's selector, env var names the configuration reads), the compose file's services and wiring, the container file (a lint: this machine builds
 * images only by hand, see docs/deploy.md), the systemd unit (with {@code systemd-analyze} where it is installed,
 * required under {@code CI=true}) and the monitoring files (every metric they name exists).
 */
class DeployFilesTest {
  private static final Path DEPLOY = Path.of("deploy");
  private static final Path K8S = DEPLOY.resolve("kubernetes");

  @TempDir
  Path tmp;

  @Test
  @DisplayName("Kubernetes: a StatefulSet of 3 nodes in cluster mode (members = its pods in the headless Service, "
      + "ports 5701/5801, host and node id from the pod) with /ready and /health probes on 8080, resources, non-root "
      + "read-only containers; Service and PDB selectors match; every env name is read")
  void kubernetes() throws Exception {
    Map<String, Map<String, Object>> byName = new HashMap<>();
    List<Object> resources = list(map(yaml(K8S.resolve("kustomization.yaml"))).get("resources"));
    assertFalse(resources.isEmpty());
    for (Object file : resources) {
      Map<String, Object> doc = map(yaml(K8S.resolve((String) file)));
      byName.put(doc.get("kind") + "/" + map(doc.get("metadata")).get("name"), doc);
    }
    Map<String, Object> sts = byName.get("StatefulSet/pricetide");
    assertNotNull(sts, byName.keySet().toString());
    assertFalse(byName.keySet().stream().anyMatch(k -> k.startsWith("Deployment/")),
        "no separate scheduler Deployment: in cluster mode every node schedules");
    int replicas = (Integer) map(sts.get("spec")).get("replicas");
    assertEquals(3, replicas);
    assertEquals("OrderedReady", at(sts, "spec", "podManagementPolicy"), "pod 0 forms the cluster, the others join");

    Map<String, Object> configMap = byName.get("ConfigMap/pricetide");
    Map<String, Object> secret = byName.get("Secret/pricetide");
    Map<String, String> cmData = strings(map(configMap.get("data")));
    Map<String, String> secretData = strings(map(secret.get("stringData")));
    secretData.values().forEach(v -> assertTrue(v.startsWith("CHANGE-ME"), "placeholders only in secret.yaml: " + v));

    Map<String, Object> spec = map(sts.get("spec"));
    Map<String, Object> selector = map(map(spec.get("selector")).get("matchLabels"));
    Map<String, Object> podLabels = map(at(sts, "spec", "template", "metadata", "labels"));
    assertTrue(podLabels.entrySet().containsAll(selector.entrySet()), "selector matches the pod labels");
    Map<String, Object> pod = map(at(sts, "spec", "template", "spec"));
    Map<String, Object> podSecurity = map(pod.get("securityContext"));
    assertEquals(true, podSecurity.get("runAsNonRoot"));
    assertTrue(((Integer) podSecurity.get("runAsUser")) > 0);
    List<Object> containers = list(pod.get("containers"));
    assertEquals(1, containers.size());
    Map<String, Object> c = map(containers.get(0));
    Map<String, Integer> ports = new HashMap<>();
    list(c.get("ports")).forEach(o -> ports.put((String) map(o).get("name"), (Integer) map(o).get("containerPort")));
    assertEquals(Map.of("http", 8080, "hazelcast", 5701, "eventbus", 5801), ports);
    assertEquals("/ready", at(c, "readinessProbe", "httpGet", "path"));
    assertEquals(8080, at(c, "readinessProbe", "httpGet", "port"));
    assertEquals("/health", at(c, "livenessProbe", "httpGet", "path"));
    assertEquals(8080, at(c, "livenessProbe", "httpGet", "port"));
    assertNotNull(at(c, "resources", "requests", "cpu"));
    assertNotNull(at(c, "resources", "requests", "memory"));
    assertNotNull(at(c, "resources", "limits", "memory"));
    assertEquals(false, at(c, "securityContext", "allowPrivilegeEscalation"));
    assertEquals(true, at(c, "securityContext", "readOnlyRootFilesystem"));
    assertEquals(List.of("ALL"), at(c, "securityContext", "capabilities", "drop"));
    Set<String> mounts = list(c.get("volumeMounts")).stream().map(m -> (String) map(m).get("mountPath"))
        .collect(Collectors.toSet());
    assertTrue(mounts.containsAll(Set.of("/data", "/tmp", "/etc/pricetide")), mounts.toString());
    // Each pod's own volume for its raw archive.
    List<Object> claims = list(spec.get("volumeClaimTemplates"));
    assertEquals("data", at(map(claims.get(0)), "metadata", "name"));
    List<Object> envFrom = list(c.get("envFrom"));
    assertEquals("pricetide", at(map(envFrom.get(0)), "configMapRef", "name"));
    assertEquals("pricetide", at(map(envFrom.get(1)), "secretRef", "name"));
    Map<String, String> fromPod = new HashMap<>();
    list(c.get("env")).forEach(o -> fromPod.put((String) map(o).get("name"),
        (String) at(map(o), "valueFrom", "fieldRef", "fieldPath")));
    assertEquals(Map.of("PRICETIDE_CLUSTER_NODE_ID", "metadata.name", "PRICETIDE_CLUSTER_HOST", "status.podIP"),
        fromPod, "each node's id and address are its pod's");

    // The headless Service: every pod by name, not-ready ones too, on both cluster ports.
    String headlessName = (String) spec.get("serviceName");
    Map<String, Object> headless = byName.get("Service/" + headlessName);
    assertNotNull(headless, "the StatefulSet's serviceName " + headlessName + " is a Service");
    assertEquals("None", at(headless, "spec", "clusterIP"));
    assertEquals(true, at(headless, "spec", "publishNotReadyAddresses"));
    assertTrue(podLabels.entrySet().containsAll(map(at(headless, "spec", "selector")).entrySet()));
    Set<Integer> headlessPorts = list(at(headless, "spec", "ports")).stream().map(o -> (Integer) map(o).get("port"))
        .collect(Collectors.toSet());
    assertEquals(Set.of(5701, 5801), headlessPorts);

    // The --config file the pod gets is one the ConfigMap has, and it loads with the pod's environment: cluster
    // mode on PostgreSQL, scheduling, the members exactly the StatefulSet's pods, on the container's ports.
    List<Object> args = list(c.get("args"));
    assertEquals("run", args.get(0));
    String configFile = Path.of((String) args.get(args.indexOf("--config") + 1)).getFileName().toString();
    assertTrue(cmData.containsKey(configFile), configFile);
    Map<String, String> env = new HashMap<>();
    cmData.forEach((k, v) -> {
      if (k.startsWith("PRICETIDE_")) {
        env.put(k, v);
      }
    });
    env.putAll(secretData);
    env.put("PRICETIDE_CLUSTER_NODE_ID", "pricetide-1");
    env.put("PRICETIDE_CLUSTER_HOST", "10.244.1.7");
    Path file = Files.writeString(tmp.resolve(configFile), cmData.get(configFile));
    AppConfig cfg = ConfigLoader.load(file, null, null, env);
    assertTrue(cfg.schedulerEnabled(), "every node schedules");
    assertTrue(cfg.clustered() && cfg.isPostgres(), "cluster mode on PostgreSQL");
    assertEquals(cmData.get("PRICETIDE_DATABASE_URL"), cfg.databaseUrl());
    assertEquals(secretData.get("PRICETIDE_ADMIN_TOKEN"), cfg.adminToken());
    assertEquals(ports.get("hazelcast"), cfg.cluster().port());
    assertEquals(ports.get("eventbus"), cfg.cluster().busPort());
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      expected.add(map(sts.get("metadata")).get("name") + "-" + i + "." + headlessName + ":" + ports.get("hazelcast"));
    }
    assertEquals(expected, cfg.cluster().members(), "the members are the StatefulSet's pods");
    assertFalse(secretData.get("PRICETIDE_SECRET").isEmpty(), "one link-signing secret shared by every node");

    Set<String> known = knownEnvNames();
    for (String name : new TreeSet<>(cmData.keySet())) {
      assertTrue(!name.startsWith("PRICETIDE_") || known.contains(name) || !name.equals(name.toUpperCase()),
          "ConfigMap key " + name + " is no setting Pricetide reads");
      assertTrue(name.startsWith("PRICETIDE_") || name.endsWith(".yaml"), "ConfigMap key " + name);
    }
    fromPod.keySet().forEach(n -> assertTrue(known.contains(n), "pod env " + n + " is no setting"));
    secretData.keySet().forEach(n -> assertTrue(known.contains(n), "Secret key " + n + " is no setting"));

    Map<String, Object> pdb = byName.get("PodDisruptionBudget/pricetide");
    assertEquals(podLabels, map(at(pdb, "spec", "selector", "matchLabels")), "the PDB selects exactly the nodes");
    assertEquals(1, at(pdb, "spec", "maxUnavailable"), "one node at a time");
    Map<String, Object> svc = byName.get("Service/pricetide");
    Map<String, Object> svcSelector = map(at(svc, "spec", "selector"));
    assertTrue(podLabels.entrySet().containsAll(svcSelector.entrySet()), "the Service selects the nodes");
    assertEquals("http", map(list(at(svc, "spec", "ports")).get(0)).get("targetPort"));
  }

  @Test
  @DisplayName("Compose: postgres (health-checked), mailpit and pricetide wired by name through PRICETIDE_* "
      + "variables Pricetide reads, the sample config mounted, /data a volume")
  void compose() throws Exception {
    Map<String, Object> services = map(map(yaml(DEPLOY.resolve("compose.yaml"))).get("services"));
    assertTrue(services.keySet().containsAll(Set.of("postgres", "mailpit", "pricetide")), services.keySet().toString());
    Map<String, Object> p = map(services.get("pricetide"));
    assertEquals("service_healthy", at(p, "depends_on", "postgres", "condition"));
    assertNotNull(at(map(services.get("postgres")), "healthcheck", "test"));
    assertTrue(Files.isRegularFile(DEPLOY.resolve((String) at(p, "build", "context"))
        .resolve((String) at(p, "build", "dockerfile"))));
    Map<String, String> env = strings(map(p.get("environment")));
    Set<String> known = knownEnvNames();
    env.keySet().forEach(n -> assertTrue(known.contains(n), n + " is no setting Pricetide reads"));
    assertTrue(env.get("PRICETIDE_DATABASE_URL").startsWith("jdbc:postgresql://postgres:5432/"));
    assertEquals("mailpit", env.get("PRICETIDE_MAIL_HOST"));
    assertEquals("1025", env.get("PRICETIDE_MAIL_PORT"));
    List<String> volumes = list(p.get("volumes")).stream().map(String.class::cast).toList();
    assertTrue(volumes.stream().anyMatch(v -> v.endsWith(":/data")), volumes.toString());
    String config = volumes.stream().filter(v -> v.contains(":/etc/pricetide/config.yaml")).findFirst().orElseThrow();
    Path sample = DEPLOY.resolve(config.substring(0, config.indexOf(':')));
    assertTrue(Files.isRegularFile(sample), sample.toString());
    List<Object> command = list(p.get("command"));
    assertEquals(List.of("run", "--config", "/etc/pricetide/config.yaml"), command);
    // The sample config loads with the compose environment (placeholders for the ${…} secrets).
    Map<String, String> resolved = new HashMap<>();
    env.forEach((k, v) -> resolved.put(k, v.startsWith("${") ? "placeholder" : v));
    AppConfig cfg = ConfigLoader.load(sample, null, null, resolved);
    assertEquals(8080, cfg.httpPort());
    assertEquals("mailpit", cfg.alerts().mailHost());
  }

  @Test
  @DisplayName("Containerfile lint: slim Debian base with JRE 17, non-root USER, HEALTHCHECK on /health, VOLUME "
      + "/data, EXPOSE 8080, deploy/jvm.options used, every copied path exists or is the built jar")
  void containerfile() throws Exception {
    List<String> lines = instructions(Files.readString(DEPLOY.resolve("Containerfile")));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("ARG BASE=") && l.contains("bookworm-slim")), lines.toString());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("RUN ") && l.contains("openjdk-17-jre-headless")));
    List<String> users = lines.stream().filter(l -> l.startsWith("USER ")).toList();
    assertFalse(users.isEmpty(), "a USER instruction");
    String user = users.get(users.size() - 1).substring(5).trim().split(":")[0];
    assertFalse(user.equals("root") || user.equals("0"), "the last USER is not root: " + user);
    assertTrue(user.matches("\\d+"), "a numeric USER, which Kubernetes' runAsNonRoot can verify: " + user);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("HEALTHCHECK ") && l.contains("/health")
        && l.contains(" 200 ")), "HEALTHCHECK asks /health for a 200");
    assertTrue(lines.contains("VOLUME /data"), lines.toString());
    assertTrue(lines.contains("EXPOSE 8080"), lines.toString());
    String entry = lines.stream().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
    assertTrue(entry.contains("@/app/jvm.options") && entry.contains("/app/pricetide.jar"), entry);
    Set<String> ignoreAllows = Files.readAllLines(Path.of(".dockerignore")).stream().filter(l -> l.startsWith("!"))
        .map(l -> l.substring(1).replaceAll("/$", "")).collect(Collectors.toSet());
    for (String copy : lines.stream().filter(l -> l.startsWith("COPY ")).toList()) {
      String src = copy.split("\\s+")[1].replaceAll("/$", "");
      assertTrue(ignoreAllows.contains(src), ".dockerignore lets " + src + " into the build context");
      assertTrue(src.equals("target/pricetide.jar") || Files.exists(Path.of(src)), src + " exists");
    }
    String jvmOptions = Files.readString(DEPLOY.resolve("jvm.options"));
    Matcher jsa = Pattern.compile("-XX:SharedArchiveFile=(\\S+)").matcher(jvmOptions);
    assertTrue(jsa.find());
    assertTrue(String.join("\n", lines).contains("ArchiveClassesAtExit=/app/" + jsa.group(1)),
        "the image writes the class data archive where jvm.options (relative to WORKDIR /app) reads it");
    assertTrue(lines.contains("WORKDIR /app"));
  }

  @Test
  @DisplayName("systemd unit: dynamic user, ProtectSystem=strict, the state dir the only writable path, "
      + "NoNewPrivileges; `systemd-analyze verify` prints nothing and `security --offline` rates it OK")
  void systemdUnit() throws Exception {
    Path unit = DEPLOY.resolve("pricetide.service");
    Map<String, List<String>> keys = new LinkedHashMap<>();
    for (String l : Files.readAllLines(unit)) {
      if (!l.isBlank() && !l.startsWith("#") && !l.startsWith("[") && l.contains("=")) {
        keys.computeIfAbsent(l.substring(0, l.indexOf('=')), k -> new ArrayList<>()).add(l.substring(l.indexOf('=') + 1));
      }
    }
    assertEquals(List.of("yes"), keys.get("DynamicUser"));
    assertEquals(List.of("strict"), keys.get("ProtectSystem"));
    assertEquals(List.of("yes"), keys.get("NoNewPrivileges"));
    assertEquals(List.of("/var/lib/" + keys.get("StateDirectory").get(0)), keys.get("ReadWritePaths"));
    assertTrue(keys.get("Environment").contains("PRICETIDE_DATA_DIR=/var/lib/pricetide"), keys.toString());
    assertTrue(keys.get("ExecStart").get(0).matches(".*java @\\S+jvm\\.options -jar \\S+pricetide\\.jar run$"));
    assertEquals(List.of(""), keys.get("CapabilityBoundingSet"));
    for (String k : List.of("ProtectHome", "PrivateTmp", "PrivateDevices", "ProtectKernelTunables",
        "ProtectControlGroups", "RestrictSUIDSGID", "LockPersonality")) {
      assertEquals(List.of("yes"), keys.get(k), k);
    }

    boolean ci = "true".equals(System.getenv("CI"));
    boolean tool = Files.isExecutable(Path.of("/usr/bin/systemd-analyze"));
    if (!tool && ci) {
      throw new AssertionError("CI=true and systemd-analyze is missing: apt-get install systemd");
    }
    Assumptions.assumeTrue(tool, "systemd-analyze is not installed");
    // verify exits 0 even for a value it ignores, so its output must be empty.
    String verify = run("systemd-analyze", "verify", unit.toString());
    assertEquals("", verify.strip(), "systemd-analyze verify: " + verify);
    String security = run("systemd-analyze", "security", "--offline=true", "--no-pager", unit.toString());
    Matcher level = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+) (\\S+)").matcher(security);
    assertTrue(level.find(), security);
    assertTrue(Double.parseDouble(level.group(1)) <= 2.0, "exposure " + level.group(1) + " " + level.group(2));
  }

  @Test
  @DisplayName("Grafana dashboard and Prometheus rules name only metrics /metrics serves")
  void monitoring() throws Exception {
    Set<String> ours = Set.of(Meters.CHECKS + "_total", Meters.EVENTS + "_total", Meters.DELIVERIES + "_total",
        Meters.OUTBOX_DEPTH, Meters.OUTBOX_OLDEST, Meters.FRESHNESS, Meters.FETCH + "_bucket", Meters.FETCH + "_count",
        Meters.EXTRACT + "_bucket", Meters.EXTRACT + "_count");
    List<String> exprs = new ArrayList<>();
    JsonObject dash = new JsonObject(Files.readString(DEPLOY.resolve("grafana-dashboard.json")));
    JsonArray panels = dash.getJsonArray("panels");
    assertTrue(panels.size() >= 6);
    panels.forEach(p -> ((JsonObject) p).getJsonArray("targets", new JsonArray())
        .forEach(t -> exprs.add(((JsonObject) t).getString("expr"))));
    Map<String, Object> rules = map(yaml(DEPLOY.resolve("alerts.yaml")));
    List<Object> groups = list(rules.get("groups"));
    int alerts = 0;
    for (Object g : groups) {
      for (Object r : list(map(g).get("rules"))) {
        Map<String, Object> rule = map(r);
        assertNotNull(rule.get("alert"));
        assertNotNull(at(rule, "annotations", "summary"));
        exprs.add((String) rule.get("expr"));
        alerts++;
      }
    }
    assertTrue(alerts >= 4, "alert rules: " + alerts);
    Set<String> used = new TreeSet<>();
    Matcher m = Pattern.compile("\\b(pricetide_[a-z_]+|vertx_[a-z_]+|jvm_[a-z_]+|process_[a-z_]+)").matcher(
        String.join("\n", exprs));
    while (m.find()) {
      used.add(m.group(1));
    }
    assertTrue(used.containsAll(ours), "every Pricetide meter has a panel or a rule: " + used);
    used.stream().filter(n -> n.startsWith("pricetide_")).forEach(n -> assertTrue(ours.contains(n), n));
    assertTrue(used.contains("vertx_http_server_requests_total"), used.toString());
  }

  /** PRICETIDE_* names the configuration reads: the fixed ones of ConfigLoader and one per alerting key. */
  private static Set<String> knownEnvNames() throws IOException {
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("\"(PRICETIDE_[A-Z_]+)\"").matcher(Files.readString(
        Path.of("src/main/java/io/pricetide/config/ConfigLoader.java")));
    while (m.find()) {
      names.add(m.group(1));
    }
    AlertSettings.KEYS.forEach(k -> names.add(AlertSettings.envName(k)));
    io.pricetide.config.ClusterSettings.KEYS.forEach(k -> names.add(AlertSettings.envName(k)));
    assertTrue(names.containsAll(Set.of("PRICETIDE_HTTP_PORT", "PRICETIDE_DATABASE_URL", "PRICETIDE_ADMIN_TOKEN",
        "PRICETIDE_PUBLIC_URL", "PRICETIDE_MAIL_HOST", "PRICETIDE_MAIL_PORT", "PRICETIDE_MAIL_FROM",
        "PRICETIDE_OPERATOR_EMAIL", "PRICETIDE_ALLOW_PRIVATE_WEBHOOKS")), "the contract's names: " + names);
    return names;
  }

  /** Container file instructions, continuation lines joined, comments dropped. */
  private static List<String> instructions(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String l : text.split("\n")) {
      if (l.startsWith("#") || (cur.length() == 0 && l.isBlank())) {
        continue;
      }
      String t = l.strip();
      if (t.endsWith("\\")) {
        cur.append(t, 0, t.length() - 1).append(' ');
      } else {
        out.add(cur.append(t).toString().replaceAll("\\s+", " ").strip());
        cur.setLength(0);
      }
    }
    return out;
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd));
    return out;
  }

  private static Object yaml(Path p) throws IOException {
    return new Yaml().load(Files.readString(p));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    assertTrue(o instanceof Map, () -> "a mapping: " + o);
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    assertTrue(o instanceof List, () -> "a list: " + o);
    return (List<Object>) o;
  }

  private static Object at(Map<String, Object> m, String... path) {
    Object cur = m;
    for (String k : path) {
      cur = map(cur).get(k);
      if (cur == null) {
        throw new AssertionError("missing " + String.join(".", path) + " (at " + k + ")");
      }
    }
    return cur;
  }

  private static Map<String, String> strings(Map<String, Object> m) {
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }
}
