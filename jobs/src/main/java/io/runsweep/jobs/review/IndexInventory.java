package io.runsweep.jobs.review;

import static io.runsweep.jobs.review.IndexCoverage.quoted;

import io.runsweep.jobs.common.Formats;
import io.runsweep.sql.DatabaseKind;
import io.runsweep.sql.IndexCatalog;
import io.runsweep.sql.IndexInfo;
import io.runsweep.sql.Table;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The indexes of the managed tables that cost without helping: duplicates (same table, same columns and
 * predicate), which every write updates twice; and, on PostgreSQL, indexes no query has used since the
 * statistics were last reset. Primary keys and unique indexes enforce something, so they are never "unused".
 */
final class IndexInventory {
    static final String TOPIC = "indexes";

    private final DatabaseKind kind;
    private final IndexCatalog catalog;

    IndexInventory(DatabaseKind kind, IndexCatalog catalog) {
        this.kind = kind;
        this.catalog = catalog;
    }

    List<Finding> of(Connection connection, List<Table> tables) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        List<String> unused = new ArrayList<>();
        for (Table table : tables) {
            List<IndexInfo> indexes = catalog.indexes(connection, table);
            findings.addAll(duplicates(table, indexes));
            indexes.stream()
                    .filter(i -> !i.unique()
                            && !i.primary()
                            && i.scans().isPresent()
                            && i.scans().getAsLong() == 0)
                    .forEach(i ->
                            unused.add(quoted(table.name()) + " " + i.name() + " (" + Formats.bytes(i.bytes()) + ")"));
        }
        if (kind == DatabaseKind.SQLITE) {
            findings.add(Finding.note(
                    TOPIC,
                    "SQLite does not count how often an index is used, so unused indexes" + " cannot be listed"));
        } else if (!unused.isEmpty()) {
            findings.add(Finding.note(
                    TOPIC,
                    "not used by any query since the statistics were last reset"
                            + " (pg_stat_user_indexes.idx_scan = 0; unique indexes and primary keys left out): "
                            + String.join(", ", unused)));
        }
        return findings;
    }

    private List<Finding> duplicates(Table table, List<IndexInfo> indexes) {
        Map<String, List<IndexInfo>> bySignature = new LinkedHashMap<>();
        indexes.forEach(i -> bySignature
                .computeIfAbsent(i.signature(), s -> new ArrayList<>())
                .add(i));
        List<Finding> findings = new ArrayList<>();
        for (List<IndexInfo> same : bySignature.values()) {
            if (same.size() > 1) {
                findings.add(duplicate(table, same));
            }
        }
        return findings;
    }

    /** Keeps the index that enforces something, else the most used, else the first by name; drops plain others. */
    private Finding duplicate(Table table, List<IndexInfo> same) {
        List<IndexInfo> ranked = same.stream()
                .sorted(Comparator.comparing((IndexInfo i) -> !i.primary())
                        .thenComparing(i -> !i.unique())
                        .thenComparing(i -> -i.scans().orElse(0))
                        .thenComparing(IndexInfo::name))
                .toList();
        List<IndexInfo> drop =
                ranked.stream().skip(1).filter(i -> !i.unique() && !i.primary()).toList();
        String message = "duplicate indexes on " + quoted(table.name()) + ": "
                + same.stream().map(IndexInfo::name).collect(Collectors.joining(", ")) + " have the same columns ("
                + String.join(", ", same.get(0).columns())
                + ") and predicate; every write updates each of them, and one serves every query. If an index to drop is"
                + " the scheduler's own, its migrations may expect it: drop only one you added";
        Optional<String> fix = drop.isEmpty()
                ? Optional.empty()
                : Optional.of(drop.stream()
                        .map(i -> catalog.dropIndex(table.name(), i.name()))
                        .collect(Collectors.joining("\n")));
        return Finding.warning(TOPIC, message, fix);
    }
}
