package fun.ai.studio.deploy.persistence.schema;

import fun.ai.studio.deploy.apprun.JobStatus;
import fun.ai.studio.deploy.shared.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the earlier deploy service's three tables, changing nothing, and finds every row that would not fit this
 * service's rules once adopted: identifiers outside api.md's limits (including non-ASCII ones, which the
 * {@code ascii_bin} columns cannot hold), names equal but for case (distinct once names compare byte for byte),
 * placements on missing nodes, and values this service cannot read back. Placements and app runs are read in
 * key order a batch at a time, so a large table does not have to fit in memory.
 */
final class EarlierServicePreCheck {

    static final String NODES = "fun_ai_deploy_runtime_node";
    static final String PLACEMENTS = "fun_ai_deploy_runtime_placement";
    static final String APP_RUNS = "fun_ai_deploy_app_run";

    // What an operator runs to see the rows each rule refuses (MySQL/MariaDB; REGEXP is case-insensitive there,
    // which the character classes already allow for).
    static final String BAD_NODE_NAMES = "SELECT * FROM " + NODES
            + " WHERE CHAR_LENGTH(name) > 64 OR name NOT REGEXP '^[A-Za-z0-9][A-Za-z0-9._-]*$'";
    static final String BAD_NODE_SETTINGS = "SELECT * FROM " + NODES
            + " WHERE id = 0 OR enabled NOT IN (0, 1) OR weight NOT BETWEEN 0 AND 10000";
    static final String NAMES_EQUAL_BUT_FOR_CASE = "SELECT LOWER(name), GROUP_CONCAT(id) FROM " + NODES
            + " GROUP BY LOWER(name) HAVING COUNT(*) > 1";
    static final String BAD_PLACEMENT_APP_IDS = "SELECT * FROM " + PLACEMENTS
            + " WHERE CHAR_LENGTH(app_id) > 128 OR app_id NOT REGEXP '^[A-Za-z0-9._:-]+$'";
    static final String PLACEMENTS_ON_MISSING_NODES = "SELECT p.* FROM " + PLACEMENTS + " p LEFT JOIN " + NODES
            + " n ON n.id = p.node_id WHERE n.id IS NULL";
    static final String BAD_APP_RUN_APP_IDS = "SELECT * FROM " + APP_RUNS
            + " WHERE CHAR_LENGTH(app_id) > 128 OR app_id NOT REGEXP '^[A-Za-z0-9._:-]+$'";
    static final String UNKNOWN_JOB_STATUSES = "SELECT * FROM " + APP_RUNS + " WHERE UPPER(last_job_status) NOT IN ("
            + String.join(", ", JobStatus.NAMES.stream().map(name -> "'" + name + "'").toList()) + ")";

    private static final int BATCH = 5_000;
    private static final Pattern NODE_NAME = Pattern.compile(Identifiers.NODE_NAME_REGEX);
    private static final Pattern APP_ID = Pattern.compile(Identifiers.APP_ID_REGEX);

    private EarlierServicePreCheck() {
    }

    /** Every row of the three tables that does not fit, in table order; empty when all fit. */
    static List<Misfit> misfits(Connection connection) throws SQLException {
        List<Misfit> misfits = new ArrayList<>();
        checkNodes(connection, misfits);
        checkPlacements(connection, misfits);
        checkAppRuns(connection, misfits);
        return misfits;
    }

    private static void checkNodes(Connection connection, List<Misfit> misfits) throws SQLException {
        Map<String, List<String>> namesByLowerCase = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, name, enabled, weight FROM " + NODES + " ORDER BY id")) {
            while (rows.next()) {
                String id = Long.toString(rows.getLong("id"));
                String name = rows.getString("name");
                if (!NODE_NAME.matcher(name).matches()) {
                    misfits.add(new Misfit(NODES, "id", id, "name " + Misfit.quote(name) + " is not "
                            + Identifiers.NODE_NAME_RULE, BAD_NODE_NAMES));
                }
                if (rows.getLong("id") == 0) {
                    // Turning the column into AUTO_INCREMENT would give a 0 a new id, and its apps would lose their node.
                    misfits.add(new Misfit(NODES, "id", id, "id 0 cannot be kept", BAD_NODE_SETTINGS));
                }
                int enabled = rows.getInt("enabled");
                if (enabled != 0 && enabled != 1) {
                    misfits.add(new Misfit(NODES, "id", id, "enabled is " + enabled + ", not 0 or 1",
                            BAD_NODE_SETTINGS));
                }
                int weight = rows.getInt("weight");
                if (weight < 0 || weight > 10_000) {
                    misfits.add(new Misfit(NODES, "id", id, "weight is " + weight + ", not 0-10000",
                            BAD_NODE_SETTINGS));
                }
                namesByLowerCase.computeIfAbsent(name.toLowerCase(Locale.ROOT), key -> new ArrayList<>()).add(id);
            }
        }
        for (List<String> ids : namesByLowerCase.values()) {
            if (ids.size() > 1) {
                for (String id : ids) {
                    misfits.add(new Misfit(NODES, "id", id, "name equals the name of node " + String.join(", ",
                            ids.stream().filter(other -> !other.equals(id)).toList())
                            + " but for case, and names become case-sensitive", NAMES_EQUAL_BUT_FOR_CASE));
                }
            }
        }
    }

    private static void checkPlacements(Connection connection, List<Misfit> misfits) throws SQLException {
        forEachBatch(connection, "SELECT app_id FROM " + PLACEMENTS,
                row -> checkAppId(PLACEMENTS, row.getString("app_id"), BAD_PLACEMENT_APP_IDS, misfits));
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(PLACEMENTS_ON_MISSING_NODES + " ORDER BY p.app_id")) {
            while (rows.next()) {
                misfits.add(new Misfit(PLACEMENTS, "app_id", Misfit.quote(rows.getString("app_id")),
                        "its node " + rows.getLong("node_id") + " does not exist", PLACEMENTS_ON_MISSING_NODES));
            }
        }
    }

    private static void checkAppRuns(Connection connection, List<Misfit> misfits) throws SQLException {
        forEachBatch(connection, "SELECT app_id, last_job_status FROM " + APP_RUNS, row -> {
            String appId = row.getString("app_id");
            checkAppId(APP_RUNS, appId, BAD_APP_RUN_APP_IDS, misfits);
            String status = row.getString("last_job_status");
            if (status != null && JobStatus.parse(status).isEmpty()) {
                misfits.add(new Misfit(APP_RUNS, "app_id", Misfit.quote(appId), "last_job_status "
                        + Misfit.quote(status) + " is not one of " + String.join(" ", JobStatus.NAMES),
                        UNKNOWN_JOB_STATUSES));
            }
        });
    }

    private static void checkAppId(String table, String appId, String inspect, List<Misfit> misfits) {
        if (!APP_ID.matcher(appId).matches()) {
            misfits.add(new Misfit(table, "app_id", Misfit.quote(appId), "app_id is not " + Identifiers.APP_ID_RULE,
                    inspect));
        }
    }

    /** Runs {@code select} (which must read {@code app_id}) over the whole table in app_id order, a batch at a time. */
    private static void forEachBatch(Connection connection, String select, RowCheck check) throws SQLException {
        String after = "";
        boolean more = true;
        try (PreparedStatement batch = connection.prepareStatement(
                select + " WHERE app_id > ? ORDER BY app_id LIMIT " + BATCH)) {
            while (more) {
                batch.setString(1, after);
                int read = 0;
                try (ResultSet rows = batch.executeQuery()) {
                    while (rows.next()) {
                        check.accept(rows);
                        after = rows.getString("app_id");
                        read++;
                    }
                }
                more = read == BATCH;
            }
        }
    }

    private interface RowCheck {
        void accept(ResultSet row) throws SQLException;
    }
}
