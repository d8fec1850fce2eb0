package io.runsweep.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The files under deploy/, read as the tools that use them read them, and the PromQL inside them. */
final class DeployFiles {
    static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final Pattern METRIC = Pattern.compile("\\b(runsweep_[a-z_]+|hikaricp_[a-z_]+|jvm_[a-z_]+|up)\\b");
    private static final Pattern COMPARISON = Pattern.compile("\\s(==|!=|>=|<=|>|<)\\s+[0-9.e+]+\\s*$");

    private DeployFiles() {}

    static JsonNode json(String path) throws IOException {
        return JSON.readTree(DEPLOY.resolve(path).toFile());
    }

    static JsonNode yaml(String path) throws IOException {
        return YAML.readTree(DEPLOY.resolve(path).toFile());
    }

    /** Every document of a multi-document YAML file (Kubernetes manifests). */
    static List<JsonNode> yamlDocuments(String path) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(Files.readString(DEPLOY.resolve(path)))) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(docs::add);
        }
        return docs;
    }

    /** Panel title to PromQL, for every query of every panel of the dashboard. */
    static Map<String, String> dashboardQueries() throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : json("grafana/dashboards/runsweep.json").get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.put(
                        "panel \"" + panel.get("title").asText() + "\" "
                                + target.get("refId").asText(),
                        target.get("expr").asText());
            }
        }
        return queries;
    }

    /** Alert name to its expression. */
    static Map<String, String> alertRules() throws IOException {
        Map<String, String> rules = new LinkedHashMap<>();
        for (JsonNode group : yaml("prometheus/rules.yml").get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                rules.put(
                        "alert " + rule.get("alert").asText(),
                        rule.get("expr").asText().strip());
            }
        }
        return rules;
    }

    /** An alert's query without its threshold: what must return data while the alert does not fire. */
    static String withoutThreshold(String expr) {
        Matcher m = COMPARISON.matcher(expr);
        if (!m.find()) {
            throw new IllegalArgumentException("not of the form '<query> <comparison> <number>': " + expr);
        }
        return expr.substring(0, m.start()).strip();
    }

    static Set<String> metrics(String expr) {
        Set<String> names = new java.util.TreeSet<>();
        // Label names (in selectors, by and without) are not metrics, runsweep_job among them.
        Matcher m = METRIC.matcher(expr.replaceAll("\\{[^}]*}", "{}").replaceAll("\\b(by|without)\\s*\\([^)]*\\)", ""));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Grafana's interval variables, replaced as Grafana would for a short range. */
    static String asPrometheusSees(String expr) {
        return expr.replace("$__rate_interval", "1m")
                .replace("$__interval", "15s")
                .replace("$__range", "1h");
    }
}
