package io.runsweep.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.runsweep.jobs.metrics.MetricNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * deploy/ and docs/metrics.md, parsed: Docker is not available where these tests run, so the files are
 * checked for what the tools that read them need, and the metrics they use against the contract.
 */
class DeployFilesTest {

    @Test
    void theDashboardUsesTheProvisionedDatasourceAndOnlyDocumentedMetrics() throws Exception {
        JsonNode dashboard = DeployFiles.json("grafana/dashboards/runsweep.json");
        assertEquals("runsweep", dashboard.get("uid").asText());
        JsonNode datasource = DeployFiles.yaml("grafana/provisioning/datasources/prometheus.yml")
                .get("datasources")
                .get(0);
        assertEquals("http://prometheus:9090", datasource.get("url").asText());
        Set<Integer> ids = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            ids.add(panel.get("id").asInt());
            for (JsonNode target : panel.path("targets")) {
                assertEquals(
                        datasource.get("uid").asText(),
                        target.get("datasource").get("uid").asText(),
                        panel.toString());
            }
        }
        assertEquals(dashboard.get("panels").size(), ids.size(), "panel ids are unique");
        assertEquals(
                "/var/lib/grafana/dashboards",
                DeployFiles.yaml("grafana/provisioning/dashboards/runsweep.yml")
                        .get("providers")
                        .get(0)
                        .get("options")
                        .get("path")
                        .asText());
        String documented = Files.readString(DeployFiles.DEPLOY.resolve("../docs/metrics.md"));
        List<String> undocumented = new ArrayList<>();
        Map<String, String> queries = DeployFiles.dashboardQueries();
        DeployFiles.alertRules().forEach(queries::put);
        queries.values()
                .forEach(expr -> DeployFiles.metrics(expr).stream()
                        .filter(m -> m.startsWith("runsweep_")
                                && !documented.contains("`" + m.replaceAll("_(bucket|max)$", "")))
                        .forEach(undocumented::add));
        assertEquals(List.of(), undocumented);
    }

    @Test
    void everyMetricOfTheContractIsDocumented() throws Exception {
        String documented = Files.readString(DeployFiles.DEPLOY.resolve("../docs/metrics.md"));
        for (MetricNames.Metric metric : MetricNames.ALL) {
            assertTrue(documented.contains("| `" + metric.prometheusName() + "` |"), metric.prometheusName());
        }
    }

    @Test
    void composeRunsPrefectItsDatabaseRunsweepPrometheusAndGrafana() throws Exception {
        JsonNode services = DeployFiles.yaml("compose/compose.yaml").get("services");
        assertEquals(List.of("postgres", "prefect-server", "runsweep", "prometheus", "grafana"), names(services));
        JsonNode runsweep = services.get("runsweep");
        assertEquals(
                "deploy/Dockerfile", runsweep.get("build").get("dockerfile").asText());
        assertEquals("9464:9464", runsweep.get("ports").get(0).asText());
        assertEquals(
                services.get("prefect-server").get("environment").get("PREFECT_API_DATABASE_CONNECTION_URL"),
                runsweep.get("environment").get("PREFECT_API_DATABASE_CONNECTION_URL"),
                "Runsweep reads Prefect's own URL");
        for (JsonNode service : services) {
            for (JsonNode volume : service.path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith(".")) {
                    assertTrue(
                            Files.exists(DeployFiles.DEPLOY.resolve("compose").resolve(source)), source);
                }
            }
        }
    }

    @Test
    void kubernetesRunsRunsweepAsASidecarWithProbesConfigAndSecret() throws Exception {
        List<JsonNode> docs = DeployFiles.yamlDocuments("kubernetes/prefect-with-runsweep.yaml");
        assertEquals(
                List.of("Secret", "ConfigMap", "Deployment", "Service"),
                docs.stream().map(d -> d.get("kind").asText()).toList());
        JsonNode pod = docs.get(2).get("spec").get("template").get("spec");
        assertEquals(List.of("prefect-server", "runsweep"), names(pod.get("containers")));
        JsonNode sidecar = pod.get("containers").get(1);
        assertEquals(9464, sidecar.get("ports").get(0).get("containerPort").asInt());
        assertEquals(
                "/health/live",
                sidecar.get("livenessProbe").get("httpGet").get("path").asText());
        assertEquals(
                "/health/ready",
                sidecar.get("readinessProbe").get("httpGet").get("path").asText());
        assertEquals(
                "prefect-database",
                sidecar.get("env")
                        .get(2)
                        .get("valueFrom")
                        .get("secretKeyRef")
                        .get("name")
                        .asText());
        assertEquals(
                "RUNSWEEP_DATABASE_PASSWORD",
                sidecar.get("env").get(2).get("name").asText());
        assertEquals(
                "runsweep-config",
                pod.get("volumes").get(0).get("configMap").get("name").asText());
        assertTrue(docs.get(1).get("data").get("runsweep.conf").asText().contains("preset = prefect"));
        assertTrue(pod.get("terminationGracePeriodSeconds").asInt() > 30, "longer than the daemon's shutdown-timeout");
        JsonNode security = sidecar.get("securityContext");
        assertEquals(true, security.get("runAsNonRoot").asBoolean());
        assertEquals(10001, security.get("runAsUser").asInt(), "numeric, as the image's user");
        assertEquals(10001, security.get("runAsGroup").asInt());
        assertEquals(
                "384Mi", sidecar.get("resources").get("limits").get("memory").asText());
        assertEquals(
                "192Mi", sidecar.get("resources").get("requests").get("memory").asText());
    }

    @Test
    void theImageRunsTheJarAsANumericNonRootUserWithItsJvmOptionsAndAHealthCheck() throws Exception {
        List<String> lines = Files.readAllLines(DeployFiles.DEPLOY.resolve("Dockerfile"));
        assertTrue(lines.contains("FROM eclipse-temurin:17-jre"));
        assertTrue(lines.contains("COPY app/target/runsweep.jar /opt/runsweep/runsweep.jar"));
        assertTrue(lines.contains("COPY deploy/jvm.options /opt/runsweep/jvm.options"));
        assertTrue(lines.contains("USER 10001:10001"), "numeric, so that Kubernetes can check runAsNonRoot");
        assertTrue(lines.stream().anyMatch(l -> l.contains("useradd --system --uid 10001 --gid 10001")));
        assertTrue(lines.contains(
                "ENTRYPOINT [\"java\", \"@/opt/runsweep/jvm.options\", \"-jar\", \"/opt/runsweep/runsweep.jar\"]"));
        assertTrue(lines.contains("CMD [\"daemon\"]"));
        assertTrue(lines.contains("    CMD curl -fsS -o /dev/null http://127.0.0.1:9464/health/live || exit 1"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("HEALTHCHECK --interval=30s --timeout=5s")));
    }

    /**
     * The options the image and the unit start the JVM with, read by a real JVM: a share of a 384 MiB limit,
     * which the JVM raises to its 128 MiB default floor (126 MiB once aligned).
     */
    @Test
    void theJvmOptionsAreAcceptedAndSizeTheHeapFromTheMemoryLimit() throws Exception {
        List<String> options = Files.readAllLines(DeployFiles.DEPLOY.resolve("jvm.options"));
        assertTrue(options.contains("-XX:MaxRAMPercentage=25"), options.toString());
        assertTrue(options.contains("-XX:+ExitOnOutOfMemoryError"), options.toString());
        Process java = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "@" + DeployFiles.DEPLOY.resolve("jvm.options"),
                        "-XX:MaxRAM=384m",
                        "-XX:+PrintFlagsFinal",
                        "-version")
                .redirectErrorStream(true)
                .start();
        String flags = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, java.exitValue(), flags);
        assertTrue(flags.matches("(?s).*\\bMaxHeapSize += 132120576\\b.*"), "126 MiB of heap");
        assertTrue(flags.matches("(?s).*\\bUseSerialGC += true\\b.*"));
    }

    @Test
    void theSystemdUnitsLetRunsweepWriteBesideASqliteDatabaseAndBoundItsMemory() throws Exception {
        for (String unit : List.of("systemd/runsweep.service", "systemd/runsweep-sweep.service")) {
            List<String> lines = Files.readAllLines(DeployFiles.DEPLOY.resolve(unit));
            assertTrue(lines.contains("ProtectHome=read-only"), unit + ": ~/.prefect must stay visible");
            assertTrue(lines.contains("ReadWritePaths=-/home/prefect/.prefect"), unit);
            assertTrue(!lines.contains("ProtectHome=true"), unit);
        }
        List<String> daemon = Files.readAllLines(DeployFiles.DEPLOY.resolve("systemd/runsweep.service"));
        assertTrue(daemon.contains(
                "ExecStart=/usr/bin/java @/opt/runsweep/jvm.options -jar /opt/runsweep/runsweep.jar daemon"));
        assertTrue(daemon.contains("MemoryMax=384M"));
        List<String> sweep = Files.readAllLines(DeployFiles.DEPLOY.resolve("systemd/runsweep-sweep.service"));
        assertTrue(sweep.contains(
                "ExecStart=/usr/bin/java @/opt/runsweep/jvm.options -jar /opt/runsweep/runsweep.jar sweep"));
    }

    /** systemd's own check of the units: every key known and every value parsed. */
    @Test
    void systemdAcceptsTheUnits() throws Exception {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/systemd-analyze"))
                        || Files.isExecutable(Path.of("/bin/systemd-analyze")),
                "needs systemd-analyze (systemd) to check the units");
        for (String unit : List.of("systemd/runsweep.service", "systemd/runsweep-sweep.service")) {
            Process verify = new ProcessBuilder(
                            "systemd-analyze",
                            "verify",
                            DeployFiles.DEPLOY.resolve(unit).toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(verify.waitFor(60, TimeUnit.SECONDS));
            assertEquals("", out.strip(), unit);
        }
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> names.add(n.get("name").asText()));
        } else {
            node.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }
}
