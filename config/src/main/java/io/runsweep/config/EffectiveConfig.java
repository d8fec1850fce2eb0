package io.runsweep.config;

import com.typesafe.config.ConfigUtil;
import io.runsweep.config.PolicySettings.TableColumn;
import io.runsweep.config.PolicySettings.StatusFilter;
import java.time.Duration;
import java.util.List;
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
    c.line(0, "# Effective configuration: " + settings.source().map(Object::toString).orElse("no file")
        + " over " + settings.preset().map(p -> "preset " + p).orElse("no preset")
        + " over reference.conf. Passwords are masked.");
    c.line(0, "runsweep {");
    // The preset's policies are written out in full below, so naming it again would re-add any policy
    // the user's file removed with "name = null" when this output is loaded.
    c.line(1, "preset = \"\"" + settings.preset().map(p -> "  # was " + quote(p) + ", expanded below").orElse(""));
    c.database(settings.database());
    c.batch(settings.batch());
    c.maintenance(settings.maintenance());
    c.line(1, "policies {");
    settings.policies().values().forEach(c::policy);
    c.line(1, "}");
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
    line(1, "}");
  }

  private void batch(BatchSettings b) {
    line(1, "batch {");
    line(2, "target-duration = " + duration(b.targetDuration()));
    line(2, "pause = " + duration(b.pause()));
    line(2, "min-size = " + b.minSize());
    line(2, "max-size = " + b.maxSize());
    line(1, "}");
  }

  private void maintenance(MaintenanceSettings m) {
    line(1, "maintenance {");
    line(2, "vacuum-after-rows = " + m.vacuumAfterRows());
    line(2, "vacuum-dead-fraction = " + m.vacuumDeadFraction());
    line(2, "analyze-schedule = " + quote(m.analyzeSchedule()));
    line(2, "vacuum-full-tables = " + list(m.vacuumFullTables().stream().map(EffectiveConfig::quote).toList()));
    line(2, "vacuum-full-unchecked-disk = " + m.vacuumFullUncheckedDisk());
    line(2, "sqlite.full-vacuum = " + m.sqliteFullVacuum());
    line(1, "}");
  }

  private void policy(PolicySettings p) {
    line(2, "# " + p.location());
    line(2, ConfigUtil.joinPath(p.name()) + " {");
    line(3, "table = " + quote(p.table()));
    line(3, "time-column = " + quote(p.timeColumn()));
    p.timeColumnFallback().ifPresent(c -> line(3, "time-column-fallback = " + quote(c)));
    line(3, "older-than = " + duration(p.olderThan()));
    p.statuses().ifPresent(s -> line(3, "statuses { column = " + quote(s.column()) + ", values = " + values(s) + " }"));
    if (!p.whereNull().isEmpty()) {
      line(3, "where-null = " + list(p.whereNull().stream().map(EffectiveConfig::quote).toList()));
    }
    if (!p.unreferencedBy().isEmpty()) {
      line(3, "unreferenced-by = " + list(p.unreferencedBy().stream().map(EffectiveConfig::dependent).toList()));
    }
    p.keyColumn().ifPresent(k -> line(3, "key-column = " + quote(k)));
    if (!p.dependents().isEmpty()) {
      line(3, "dependents = " + list(p.dependents().stream().map(EffectiveConfig::dependent).toList()));
    }
    line(3, "batch-size = " + p.batchSize());
    line(3, "max-rows = " + p.limits().maxRows());
    line(3, "max-runtime = " + duration(p.limits().maxRuntime()));
    line(3, "max-fraction = " + p.limits().maxFraction());
    line(3, "strategy = " + quote(p.strategy()));
    line(3, "enabled = " + p.enabled());
    line(3, "schedule = " + quote(p.schedule()));
    line(2, "}");
  }

  private static String values(StatusFilter s) {
    return list(s.values().stream().map(v -> v instanceof String str ? quote(str) : v.toString()).toList());
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
    DAYS("d", 86_400_000_000_000L), HOURS("h", 3_600_000_000_000L), MINUTES("m", 60_000_000_000L),
    SECONDS("s", 1_000_000_000L), MILLIS("ms", 1_000_000L), MICROS("us", 1_000L), NANOS("ns", 1L);

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
