package io.runsweep.jobs.seed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The flows and deployments runs are seeded under. Found by name when a database already has them
 * (flow names and deployment names per flow are unique in Prefect), so seeding a database a
 * second time, with another seed, adds runs instead of failing on a unique key.
 */
final class Flows {
    /** A flow, and its deployment, or null for a flow only ever run ad hoc. */
    record FlowRef(UUID id, String name, UUID deploymentId) {}

    private static final String[] NAMES = {
        "ingest-orders", "daily-report", "sync-crm", "train-model",
        "score-leads", "export-warehouse", "backfill-events", "cleanup-tmp",
    };
    private static final int DEPLOYED = 6;
    private static final String DEPLOYMENT_NAME = "production";

    private Flows() {}

    static List<FlowRef> ensure(
            Connection connection, SchemaDialect dialect, SeedTables tables, SplittableRandom rnd, long created)
            throws SQLException {
        List<FlowRef> flows = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            UUID flowId = find(connection, dialect, "SELECT id FROM flow WHERE name = ?", NAMES[i]);
            boolean newFlow = flowId == null;
            if (newFlow) {
                flowId = Ids.uuid(rnd);
                tables.flow.add(flowId, created, created, NAMES[i], "[]");
            }
            UUID deploymentId = null;
            if (i < DEPLOYED) {
                deploymentId = newFlow
                        ? null
                        : find(
                                connection,
                                dialect,
                                "SELECT id FROM deployment WHERE flow_id = ? AND name = ?",
                                flowId,
                                DEPLOYMENT_NAME);
                if (deploymentId == null) {
                    deploymentId = Ids.uuid(rnd);
                    tables.deployment.add(deploymentId, created, created, DEPLOYMENT_NAME, flowId, "[\"prod\"]");
                }
            }
            flows.add(new FlowRef(flowId, NAMES[i], deploymentId));
        }
        return flows;
    }

    private static UUID find(Connection connection, SchemaDialect dialect, String sql, Object... params)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                boolean uuidAsText = params[i] instanceof UUID && dialect == SchemaDialect.SQLITE;
                query.setObject(i + 1, uuidAsText ? params[i].toString() : params[i]);
            }
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? UUID.fromString(rows.getString(1)) : null;
            }
        }
    }
}
