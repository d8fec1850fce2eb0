package io.runsweep.jobs.review;

import static io.runsweep.jobs.review.IndexCoverage.quoted;

import io.runsweep.config.ReviewSettings;
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
 * statistics were last reset, one per line. Primary keys and unique indexes enforce something, so they are never
 * "unused"; the scheduler's own indexes (as its preset names them) are its migrations' to keep, so none is ever
 * proposed for dropping.
 */
final class IndexInventory {
    static final String TOPIC = "indexes";

    private final DatabaseKind kind;
    private final IndexCatalog catalog;
    private final ReviewSettings review;

    IndexInventory(DatabaseKind kind, IndexCatalog catalog, ReviewSettings review) {
        this.kind = kind;
        this.catalog = catalog;
        this.review = review;
    }

    List<Finding> of(Connection connection, List<Table> tables) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        List<Finding> unused = new ArrayList<>();
        int unusedOwned = 0;
        for (Table table : tables) {
            List<IndexInfo> indexes = catalog.indexes(connection, table);
            findings.addAll(duplicates(table, indexes));
            for (IndexInfo index : indexes) {
                if (index.unique() || index.primary() || index.scans().orElse(1) != 0) {
                    continue;
                }
                if (review.schedulerOwns(index.name())) {
                    unusedOwned++;
                } else {
                    unused.add(Finding.note(
                            TOPIC,
                            "index " + index.name() + " of " + quoted(table.name()) + " ("
                                    + Formats.bytes(index.bytes()) + ") has not been used by any query since the"
                                    + " statistics were last reset (pg_stat_user_indexes.idx_scan = 0)"));
                }
            }
        }
        if (kind == DatabaseKind.SQLITE) {
            findings.add(Finding.note(
                    TOPIC,
                    "SQLite does not count how often an index is used, so unused indexes" + " cannot be listed"));
        }
        findings.addAll(unused);
        if (unusedOwned > 0) {
            findings.add(Finding.note(
                    TOPIC,
                    unusedOwned + " of the scheduler's own indexes (runsweep.review.scheduler-indexes) have not been"
                            + " used" + (unused.isEmpty() ? "" : " either") + "; they are left out: its migrations"
                            + " expect them"));
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
        List<IndexInfo> droppable = ranked.stream()
                .filter(i -> !i.unique() && !i.primary() && !review.schedulerOwns(i.name()))
                .toList();
        // One index stays: the first that must, else the best of those that may go.
        List<IndexInfo> drop = droppable.size() == ranked.size() ? droppable.subList(1, droppable.size()) : droppable;
        String message = "duplicate indexes on " + quoted(table.name()) + ": "
                + same.stream().map(IndexInfo::name).collect(Collectors.joining(", ")) + " have the same columns ("
                + String.join(", ", same.get(0).columns())
                + ") and predicate; every write updates each of them, and one serves every query";
        if (drop.isEmpty()) {
            return Finding.note(
                    TOPIC,
                    message + ". They are the scheduler's own (runsweep.review.scheduler-indexes) or enforce"
                            + " something, so none is proposed for dropping: its migrations expect them");
        }
        return Finding.warning(
                TOPIC,
                message + ". The fix drops only indexes that are not the scheduler's own",
                Optional.of(drop.stream()
                        .map(i -> catalog.dropIndex(table.name(), i.name()))
                        .collect(Collectors.joining("\n"))));
    }
}
