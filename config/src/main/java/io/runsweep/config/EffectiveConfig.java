package io.runsweep.config;

import com.typesafe.config.ConfigUtil;
import io.runsweep.config.CheckSettings.StuckSettings;
import io.runsweep.config.PolicySettings.StatusFilter;
import io.runsweep.config.PolicySettings.TableColumn;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes {@link Settings} back as HOCON: what Runsweep will actually do, with each policy's defaults
 * filled in. Written from the typed settings rather than from Typesafe's tree, so what is shown is
 * exactly what was validated, and passwords can be masked. The output loads again as a user's file
 * and means the same, except that masked passwords are now "****".
 */
final class EffectiveConfig {
    private final StringBuilder out = new StringBuilder();

    private EffectiveConfig() {}

    static String render(Settings settings) {
        EffectiveConfig c = new EffectiveConfig();
        c.line(
                0,
                "# Effective configuration: "
                        + settings.source().map(Object::toString).orElse("no file")
                        + " over " + settings.preset().map(p -> "preset " + p).orElse("no preset")
                        + " over reference.conf. Passwords are masked.");
        c.line(0, "runsweep {");
        // The preset's policies are written out in full below, so naming it again would re-add any policy
        // the user's file removed with "name = null" when this output is loaded.
        c.line(
                1,
                "preset = \"\""
                        + settings.preset()
                                .map(p -> "  # was " + quote(p) + ", expanded below")
                                .orElse(""));
        c.database(settings.database());
        c.batch(settings.batch());
        c.throttle(settings.throttle());
        c.line(1, "confirm-above = " + settings.confirmAbove());
        c.maintenance(settings.maintenance());
        c.review(settings.review());
        c.prefectEnvironment(settings.prefectEnvironment());
        c.line(1, "policies {");
        settings.policies().values().forEach(c::policy);
        c.line(1, "}");
        if (!settings.partitions().isEmpty()) {
            c.line(1, "partitions {");
            settings.partitions().values().forEach(c::partition);
            c.line(1, "}");
        }
        c.checks(settings.checks());
        c.alerts(settings.alerts());
        c.daemon(settings.daemon());
        c.line(0, "}");
        return c.out.toString();
    }

    private void database(DatabaseSettings db) {
        line(1, "database {");
        line(2, "url = " + quote(db.url().map(Secret::maskUrl).orElse("")));
        line(2, "user = " + quote(db.user().orElse("")));
        line(2, "password = " + quote(db.password().map(Secret::toString).orElse("")));
        line(2, "pool-size = " + db.poolSize());
        line(2, "connect-timeout = " + duration(db.connectTimeout()));
        line(2, "lock-timeout = " + duration(db.lockTimeout()));
        line(2, "busy-timeout = " + duration(db.busyTimeout()));
        line(2, "statement-timeout = " + duration(db.statementTimeout()));
        line(2, "idle-in-transaction-timeout = " + duration(db.idleInTransactionTimeout()));
        line(1, "}");
    }

    private void daemon(DaemonSettings d) {
        line(
                1,
                "http { enabled = " + d.http().enabled() + ", host = "
                        + quote(d.http().host()) + ", port = " + d.http().port() + ", read-timeout = "
                        + duration(d.http().readTimeout()) + ", write-timeout = "
                        + duration(d.http().writeTimeout())
                        + ", max-connections = " + d.http().maxConnections() + " }");
        line(1, "daemon {");
        line(2, "threads = " + d.threads());
        line(2, "shutdown-timeout = " + duration(d.shutdownTimeout()));
        line(2, "health-interval = " + duration(d.healthInterval()));
        line(2, "health-timeout = " + duration(d.healthTimeout()));
        line(1, "}");
        line(1, "log.format = " + d.logFormat().name().toLowerCase(java.util.Locale.ROOT));
    }

    private void batch(BatchSettings b) {
        line(1, "batch {");
        line(2, "target-duration = " + duration(b.targetDuration()));
        line(2, "pause = " + duration(b.pause()));
        line(2, "min-size = " + b.minSize());
        line(2, "max-size = " + b.maxSize());
        line(2, "retries = " + b.retries());
        line(2, "retry-backoff = " + duration(b.retryBackoff()));
        line(2, "compress-wal = " + b.compressWal());
        line(1, "}");
    }

    private void throttle(ThrottleSettings t) {
        line(1, "throttle {");
        line(2, "max-replica-lag = " + duration(t.maxReplicaLag().orElse(Duration.ZERO)));
        line(
                2,
                "replica-urls = "
                        + list(t.replicaUrls().stream()
                                .map(u -> quote(Secret.maskUrl(u)))
                                .toList()));
        line(2, "max-lock-waiters = " + t.maxLockWaiters().orElse(-1));
        line(2, "interval = " + duration(t.interval()));
        line(2, "max-wait = " + duration(t.maxWait()));
        line(1, "}");
    }

    /** Prefect's variables as comments: the values they set are already in the policies below. */
    private void prefectEnvironment(List<PrefectVariable> variables) {
        if (variables.isEmpty()) {
            return;
        }
        line(1, "# From Prefect's own settings in the environment (docs/prefect.md); your file's values win:");
        for (PrefectVariable v : variables) {
            line(1, "#   " + v.name() + "=" + v.value());
            v.keys()
                    .forEach((key, value) -> line(
                            1,
                            "#     -> policies." + key + " = " + value
                                    + (v.keptByFile().contains(key) ? "  (not used: your file sets this key)" : "")));
        }
    }

    private void maintenance(MaintenanceSettings m) {
        line(1, "maintenance {");
        line(2, "vacuum-after-rows = " + m.vacuumAfterRows());
        line(2, "vacuum-dead-fraction = " + m.vacuumDeadFraction());
        line(2, "analyze-schedule = " + quote(m.analyzeSchedule()));
        line(
                2,
                "vacuum-full-tables = "
                        + list(m.vacuumFullTables().stream()
                                .map(EffectiveConfig::quote)
                                .toList()));
        line(2, "vacuum-full-unchecked-disk = " + m.vacuumFullUncheckedDisk());
        line(2, "sqlite.full-vacuum = " + m.sqliteFullVacuum());
        line(1, "}");
    }

    private void review(ReviewSettings r) {
        line(1, "review {");
        line(2, "index-name = " + quote(r.indexName()));
        line(
                2,
                "scheduler-indexes = "
                        + list(r.schedulerIndexes().stream()
                                .map(EffectiveConfig::quote)
                                .toList()));
        line(1, "}");
    }

    private void policy(PolicySettings p) {
        line(2, "# " + p.location());
        line(2, ConfigUtil.joinPath(p.name()) + " {");
        line(3, "table = " + quote(p.table()));
        line(3, "time-column = " + quote(p.timeColumn()));
        p.timeColumnFallback().ifPresent(c -> line(3, "time-column-fallback = " + quote(c)));
        line(3, "older-than = " + duration(p.olderThan()));
        p.statuses()
                .ifPresent(s -> line(3, "statuses { column = " + quote(s.column()) + ", values = " + values(s) + " }"));
        if (!p.whereNull().isEmpty()) {
            line(
                    3,
                    "where-null = "
                            + list(p.whereNull().stream()
                                    .map(EffectiveConfig::quote)
                                    .toList()));
        }
        if (!p.unreferencedBy().isEmpty()) {
            line(
                    3,
                    "unreferenced-by = "
                            + list(p.unreferencedBy().stream()
                                    .map(EffectiveConfig::dependent)
                                    .toList()));
        }
        p.keyColumn().ifPresent(k -> line(3, "key-column = " + quote(k)));
        if (!p.dependents().isEmpty()) {
            line(
                    3,
                    "dependents = "
                            + list(p.dependents().stream()
                                    .map(EffectiveConfig::dependent)
                                    .toList()));
        }
        line(3, "batch-size = " + p.batchSize());
        line(3, "max-rows = " + p.limits().maxRows());
        line(3, "max-runtime = " + duration(p.limits().maxRuntime()));
        line(3, "max-fraction = " + p.limits().maxFraction());
        p.limits().allowLargeUntil().ifPresent(until -> line(3, "allow-large-until = " + quote(until.toString())));
        if (p.limits().allowCascadeConflicts()) {
            line(3, "allow-cascade-conflicts = true");
        }
        line(3, "strategy = " + quote(p.strategy().configName()));
        line(3, "enabled = " + p.enabled());
        line(3, "schedule = " + quote(p.schedule()));
        if (!p.missingParents().isEmpty()) {
            line(
                    3,
                    "missing-parent = "
                            + list(p.missingParents().stream()
                                    .map(m -> "{ column = " + quote(m.column()) + ", table = " + quote(m.table())
                                            + ", key = " + quote(m.key()) + " }")
                                    .toList()));
        }
        p.overrides().column().ifPresent(c -> line(3, "override-column = " + quote(c)));
        if (!p.overrides().isEmpty()) {
            line(3, "retention-overrides {");
            p.overrides()
                    .olderThan()
                    .forEach((value, age) -> line(
                            4,
                            quote(value) + " = " + duration(age)
                                    + (age.compareTo(p.olderThan()) >= 0
                                            ? "  # not shorter than older-than: no effect"
                                            : "")));
            line(3, "}");
        }
        ArchiveSettings a = p.archive();
        line(
                3,
                "archive { schema = " + quote(a.schema().orElse("")) + ", directory = "
                        + quote(a.directory().map(Object::toString).orElse("")) + ", keep = " + duration(a.keep())
                        + " }");
        line(2, "}");
    }

    private void partition(PartitionSettings p) {
        line(2, "# " + p.location());
        line(2, ConfigUtil.joinPath(p.name()) + " {");
        line(3, "table = " + quote(p.table()));
        line(3, "column = " + quote(p.column()));
        line(3, "interval = " + p.interval().word());
        line(
                3,
                "retention = "
                        + (p.retention() instanceof PartitionSettings.Retention.Intervals i
                                ? String.valueOf(i.count())
                                : quote(p.retention().shown())));
        line(3, "premake = " + p.premake());
        line(3, "on-expire = " + p.onExpire().word());
        line(3, "archive-schema = " + quote(p.archiveSchema()));
        line(3, "lock-attempts = " + p.lockAttempts());
        line(3, "lock-backoff = " + duration(p.lockBackoff()));
        line(3, "enabled = " + p.enabled());
        line(3, "schedule = " + quote(p.schedule()));
        line(2, "}");
    }

    private void checks(CheckSettings checks) {
        line(1, "checks {");
        line(2, "exact-counts = " + checks.exactCounts());
        line(2, "schedule = " + quote(checks.schedule()));
        line(2, "stuck {");
        checks.stuck().values().forEach(this::stuck);
        line(2, "}");
        line(1, "}");
    }

    private void stuck(StuckSettings s) {
        line(3, "# " + s.location());
        line(3, ConfigUtil.joinPath(s.name()) + " {");
        line(4, "table = " + quote(s.table()));
        line(4, "status-column = " + quote(s.statusColumn()));
        line(4, "statuses = " + values(s.statuses()));
        line(4, "time-column = " + quote(s.timeColumn()));
        s.timeColumnFallback().ifPresent(c -> line(4, "time-column-fallback = " + quote(c)));
        line(4, "older-than = " + duration(s.olderThan()));
        line(3, "}");
    }

    /** The webhook URL is masked to its host: a Slack webhook's path is its password. */
    private void alerts(AlertSettings alerts) {
        line(1, "alerts {");
        line(2, "webhook {");
        line(
                3,
                "url = "
                        + quote(alerts.webhook().map(WebhookSettings::maskedUrl).orElse("")));
        alerts.webhook().ifPresent(w -> {
            line(3, "format = " + quote(w.format().name().toLowerCase(Locale.ROOT)));
            line(3, "timeout = " + duration(w.timeout()));
            line(3, "retries = " + w.retries());
        });
        line(2, "}");
        for (AlertSettings.Alert alert : alerts.alerts()) {
            line(2, "# " + alert.location());
            line(2, ConfigUtil.joinPath(alert.name()) + " {");
            line(3, alert.kind().subjectKey() + " = " + quote(alert.subject()));
            line(3, alert.kind().thresholdKey() + " = " + threshold(alert));
            line(2, "}");
        }
        line(1, "}");
    }

    private static String threshold(AlertSettings.Alert alert) {
        return switch (alert.kind()) {
            case TOTAL_SIZE, ROWS, STUCK -> String.valueOf((long) alert.threshold());
            case DEAD_FRACTION -> String.valueOf(alert.threshold());
            case OLDEST_AGE, TIME_SINCE_SUCCESS -> duration(Duration.ofNanos(Math.round(alert.threshold() * 1e9)));
        };
    }

    private static String values(StatusFilter s) {
        return values(s.values());
    }

    private static String values(List<Object> values) {
        return list(values.stream()
                .map(v -> v instanceof String str ? quote(str) : v.toString())
                .toList());
    }

    private static String dependent(TableColumn d) {
        return "{ table = " + quote(d.table()) + ", column = " + quote(d.column()) + " }";
    }

    private static String list(List<String> items) {
        return items.stream().collect(Collectors.joining(", ", "[", "]"));
    }

    /** The largest unit that states the duration exactly: 90d, not 7776000000ms. */
    static String duration(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        for (Unit u : Unit.values()) {
            if (nanos % u.nanos == 0) {
                return (nanos / u.nanos) + u.suffix;
            }
        }
        throw new AssertionError("ns divides every duration");
    }

    private enum Unit {
        DAYS("d", 86_400_000_000_000L),
        HOURS("h", 3_600_000_000_000L),
        MINUTES("m", 60_000_000_000L),
        SECONDS("s", 1_000_000_000L),
        MILLIS("ms", 1_000_000L),
        MICROS("us", 1_000L),
        NANOS("ns", 1L);

        final String suffix;
        final long nanos;

        Unit(String suffix, long nanos) {
            this.suffix = suffix;
            this.nanos = nanos;
        }
    }

    private static String quote(String s) {
        return ConfigUtil.quoteString(s);
    }

    private void line(int indent, String text) {
        out.append("  ".repeat(indent)).append(text).append('\n');
    }
}
