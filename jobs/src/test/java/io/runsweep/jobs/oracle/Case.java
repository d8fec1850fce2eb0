package io.runsweep.jobs.oracle;

import io.runsweep.config.PolicySettings;
import io.runsweep.config.PolicySettings.RunLimits;
import io.runsweep.config.PolicySettings.StatusFilter;
import io.runsweep.config.PolicySettings.Strategy;
import io.runsweep.config.PolicySettings.TableColumn;
import io.runsweep.sql.DatabaseKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * One case of a family: rows for every table, a policy, and the updates the application makes while the sweep
 * runs, all drawn from one seed. The rows' times lie on both sides of the cutoff, many of them a microsecond, a
 * millisecond or a second from it.
 */
final class Case {
    private static final Instant EPOCH_OF_CASES = Instant.parse("2026-06-01T00:00:00Z");

    final Family family;
    final long seed;
    final Instant now;
    final Instant cutoff;
    final PolicySettings policy;
    final int maxBatch;
    /** Rows per table, each a map of column to value in insertion order. */
    final Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();
    /** What the application changes in {@code p} while the sweep runs, one after each committed batch. */
    final List<Update> updates = new ArrayList<>();
    /** Whether a time that no compared form covers was written: the policy must be refused. */
    final boolean unreadable;

    private final Random random;
    private final Map<Object, Form> formOf = new LinkedHashMap<>();

    /** A change to one row of {@code p}: its payload (a new row version), or its time made old. */
    record Update(Object id, String column, Object value, Optional<Long> truth) {}

    Case(Family family, long seed) {
        this.family = family;
        this.seed = seed;
        this.random = new Random(seed);
        this.now = EPOCH_OF_CASES.plusSeconds(random.nextInt(86_400 * 30));
        Duration olderThan = Duration.ofDays(1 + random.nextInt(120)).plusSeconds(random.nextInt(86_400));
        this.cutoff = now.minus(olderThan);
        int n = 6 + random.nextInt(30);
        List<Object> ids = ids(n);
        rows.put("p", parents(ids));
        this.unreadable = random.nextInt(16) == 0 && poison();
        children(ids);
        this.maxBatch = 1 + random.nextInt(30);
        this.policy = policy(olderThan);
        updates(ids);
    }

    private List<Object> ids(int n) {
        List<Object> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long id = 1 + 3L * i + random.nextInt(3);
            ids.add(family.textIds() ? String.format("k%04d", id) : (Object) id);
        }
        return ids;
    }

    private List<Map<String, Object>> parents(List<Object> ids) {
        List<Map<String, Object>> parents = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", ids.get(i));
            // The last row is young, so that no case asks to empty the table.
            time(row, "t", "truth", i == ids.size() - 1 ? Optional.of(Duration.ofDays(1)) : Optional.empty());
            if (family.fallback()) {
                time(row, "f", "ftruth", Optional.empty());
            }
            row.put("s", random.nextInt(10) == 0 ? null : status(random.nextInt(5)));
            row.put("n", random.nextInt(5) < 3 ? null : "x");
            row.put("pay", payload());
            if (family.selfReference()) {
                row.put("sp", i > 0 && random.nextInt(5) < 2 ? ids.get(random.nextInt(i)) : null);
            }
            parents.add(row);
        }
        return parents;
    }

    private void time(Map<String, Object> row, String column, String truth, Optional<Duration> fixed) {
        if (fixed.isEmpty() && random.nextInt(7) == 0) {
            row.put(column, null);
            row.put(truth, null);
            return;
        }
        Form form = family.forms().get(random.nextInt(family.forms().size()));
        Instant at = form.truncate(fixed.map(cutoff::plus).orElseGet(() -> cutoff.plus(delta())));
        row.put(column, form.write(at, random));
        row.put(truth, Form.micros(at));
        if (column.equals("t")) {
            formOf.put(row.get("id"), form);
        }
    }

    /** Near the cutoff often, within 100 days either side otherwise. */
    private Duration delta() {
        Duration step = switch (random.nextInt(8)) {
            case 0 -> Duration.ZERO;
            case 1 -> Duration.ofNanos(1_000);
            case 2 -> Duration.ofMillis(1);
            case 3 -> Duration.ofSeconds(1);
            default ->
                Duration.ofSeconds(1 + random.nextInt(100 * 86_400)).plusNanos(1_000L * random.nextInt(1_000_000));
        };
        return random.nextBoolean() ? step : step.negated();
    }

    private Object status(int i) {
        return family.intStatus() ? (Object) (long) i : String.valueOf((char) ('a' + i));
    }

    private String payload() {
        int length = family.kind() == DatabaseKind.POSTGRESQL ? 100 + random.nextInt(1400) : 10 + random.nextInt(400);
        StringBuilder pay = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            pay.append((char) ('a' + random.nextInt(26)));
        }
        return pay.toString();
    }

    /** Writes one time no compared form covers, where the column's type admits one. */
    private boolean poison() {
        Object value = Form.unreadable(family.kind(), family.timeType(), random);
        if (value == null) {
            return false;
        }
        List<Map<String, Object>> parents = rows.get("p");
        Map<String, Object> row = parents.get(random.nextInt(parents.size() - 1));
        row.put("t", value);
        row.put("truth", null);
        formOf.remove(row.get("id"));
        return true;
    }

    private void children(List<Object> ids) {
        List<Map<String, Object>> kids = new ArrayList<>();
        List<Map<String, Object>> grandkids = new ArrayList<>();
        for (Object id : ids) {
            for (int k = random.nextInt(3); k > 0 && family.kid(); k--) {
                long kid = kids.size() + 1;
                kids.add(row("id", kid, "ref", id));
                for (int g = random.nextInt(3); g > 0 && family.grandkid(); g--) {
                    grandkids.add(row("id", grandkids.size() + 1L, "kid", kid));
                }
            }
        }
        rows.put("kid", kids);
        rows.put("gkid", grandkids);
        rows.put("nul", references(ids, random.nextInt(ids.size() / 2 + 1), false));
        rows.put("blk", references(ids, random.nextInt(4), false));
        rows.put("dep", references(ids, random.nextInt(ids.size() + 1), true));
    }

    private List<Map<String, Object>> references(List<Object> ids, int count, boolean dangling) {
        List<Map<String, Object>> refs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Object ref = ids.get(random.nextInt(ids.size()));
            if (dangling && random.nextInt(6) == 0) {
                ref = family.textIds() ? "k9999" : (Object) 99_999L;
            } else if (random.nextInt(8) == 0) {
                ref = null;
            }
            refs.add(row("id", i + 1L, "ref", ref));
        }
        return refs;
    }

    private PolicySettings policy(Duration olderThan) {
        Optional<StatusFilter> statuses = Optional.empty();
        if (random.nextInt(5) < 3) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                if (random.nextBoolean()) {
                    values.add(status(i));
                }
            }
            if (values.isEmpty()) {
                values.add(status(random.nextInt(5)));
            }
            statuses = Optional.of(new StatusFilter("s", values));
        }
        return new PolicySettings(
                "oracle",
                Family.ENGINE + "p",
                "t",
                family.fallback() && random.nextInt(10) < 7 ? Optional.of("f") : Optional.empty(),
                olderThan,
                statuses,
                random.nextInt(10) < 3 ? List.of("n") : List.of(),
                family.blk() && random.nextInt(4) > 0
                        ? List.of(new TableColumn(Family.ENGINE + "blk", "ref"))
                        : List.of(),
                Optional.empty(),
                family.dep() && random.nextInt(4) > 0
                        ? List.of(new TableColumn(Family.ENGINE + "dep", "ref"))
                        : List.of(),
                1 + random.nextInt(12),
                RunLimits.NONE,
                Strategy.values()[random.nextInt(Strategy.values().length)],
                true,
                "0 0 * * * ?",
                "oracle case " + family.seed() + ":" + seed);
    }

    /**
     * New payloads (on PostgreSQL, new row versions that may land anywhere in the heap), and on PostgreSQL up to
     * two runs that become old: a run there counts what still matches after its batches and takes it in up to three
     * passes (FinalPassTest says what happens when rows keep coming), unless a block-range sweep proved that its
     * batches took every row that matched when it began. Such a sweep, and SQLite, promise only the rows that
     * matched when the run began; a row that begins to match behind the batches waits for the next run.
     */
    private void updates(List<Object> ids) {
        if (random.nextInt(5) < 2) {
            return;
        }
        int aging = 0;
        for (int i = random.nextInt(6); i >= 0; i--) {
            Map<String, Object> row = rows.get("p").get(random.nextInt(ids.size()));
            Object id = row.get("id");
            Form form = formOf.get(id);
            Long truth = (Long) row.get("truth");
            if (family.kind() == DatabaseKind.POSTGRESQL
                    && form != null
                    && truth != null
                    && truth >= Form.micros(cutoff)
                    && aging < 2
                    && random.nextBoolean()) {
                aging++;
                // A run that finishes now with an old time: it matches from now on.
                Instant at = form.truncate(cutoff.minus(Duration.ofSeconds(1 + random.nextInt(30 * 86_400))));
                updates.add(new Update(id, "t", form.write(at, random), Optional.of(Form.micros(at))));
            } else {
                updates.add(new Update(id, "pay", payload(), Optional.empty()));
            }
        }
    }

    /** Inserts every row under {@code prefix}. */
    void insert(Connection connection, String prefix) throws SQLException {
        for (String table : List.of("p", "kid", "gkid", "nul", "blk", "dep")) {
            if (!family.has(table) || rows.get(table).isEmpty()) {
                continue;
            }
            List<String> columns = new ArrayList<>(rows.get(table).get(0).keySet());
            String sql = "INSERT INTO " + prefix + table + " (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
            try (PreparedStatement s = connection.prepareStatement(sql)) {
                for (Map<String, Object> row : rows.get(table)) {
                    for (int i = 0; i < columns.size(); i++) {
                        bind(s, i + 1, row.get(columns.get(i)));
                    }
                    s.addBatch();
                }
                s.executeBatch();
            }
        }
    }

    /** Applies one update under {@code prefix}. */
    void apply(Connection connection, String prefix, Update update) throws SQLException {
        String sql = "UPDATE " + prefix + "p SET " + update.column() + " = ?"
                + (update.truth().isPresent() ? ", truth = ?" : "") + " WHERE id = ?";
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            int i = 1;
            bind(s, i++, update.value());
            if (update.truth().isPresent()) {
                s.setLong(i++, update.truth().get());
            }
            bind(s, i, update.id());
            s.executeUpdate();
        }
    }

    private void bind(PreparedStatement s, int index, Object value) throws SQLException {
        if (value == null) {
            s.setNull(index, family.kind() == DatabaseKind.POSTGRESQL ? Types.OTHER : Types.NULL);
        } else {
            s.setObject(index, value);
        }
    }

    private static Map<String, Object> row(Object... columnsAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndValues.length; i += 2) {
            row.put((String) columnsAndValues[i], columnsAndValues[i + 1]);
        }
        return row;
    }

    @Override
    public String toString() {
        return "case " + family.seed() + ":" + seed + " (cutoff " + cutoff + ", "
                + rows.get("p").size()
                + " rows in p, statuses "
                + policy.statuses().map(StatusFilter::values).orElse(List.of())
                + ", where-null " + policy.whereNull() + ", fallback "
                + policy.timeColumnFallback().orElse("-")
                + ", unreferenced-by " + policy.unreferencedBy().size() + ", dependents "
                + policy.dependents().size()
                + ", " + policy.strategy().configName() + ", batch-size " + policy.batchSize() + ", max-size "
                + maxBatch + ", " + updates.size() + " updates" + (unreadable ? ", an unreadable time" : "") + ")";
    }
}
