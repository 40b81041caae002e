package fun.ai.studio.deploy.persistence.schema;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What the schema holds of this service, read from the database's metadata alone: no other application's table is
 * read, and only this service's table names are looked at.
 */
enum SchemaState {

    /** None of this service's tables (other applications' tables may be there). */
    NEW_INSTALL("none of this service's tables: a new install"),
    /** The earlier deploy service's three tables, never touched by this service. */
    EARLIER_SERVICE("the earlier deploy service's tables: an upgrade in place"),
    /** This service's tables from a release that kept its Flyway history in Flyway's default table. */
    EARLIER_RELEASE("this service's tables without their history table: taken as version 2"),
    /** This service's tables with their history: the normal start. */
    MANAGED("this service's tables and history");

    static final String AUDIT = "fun_ai_deploy_admin_audit";

    private final String description;

    SchemaState(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    /** Looks at which of this service's tables the connection's schema holds; {@code history} is Flyway's table. */
    static SchemaState of(Connection connection, String history) throws SQLException {
        Set<String> tables = tableNames(connection, history);
        if (tables.contains(history)) {
            return MANAGED;
        }
        boolean nodes = tables.contains(EarlierServicePreCheck.NODES);
        boolean placements = tables.contains(EarlierServicePreCheck.PLACEMENTS);
        boolean appRuns = tables.contains(EarlierServicePreCheck.APP_RUNS);
        if (!nodes && !placements && !appRuns && !tables.contains(AUDIT)) {
            return NEW_INSTALL;
        }
        if (nodes && placements && appRuns) {
            // The earlier service never had an audit table; this service has had one since its version 2.
            return tables.contains(AUDIT) ? EARLIER_RELEASE : EARLIER_SERVICE;
        }
        throw new IllegalStateException("The schema holds some of this service's tables but not all of "
                + EarlierServicePreCheck.NODES + ", " + EarlierServicePreCheck.PLACEMENTS + " and "
                + EarlierServicePreCheck.APP_RUNS + " (found: " + String.join(", ", tables.stream().sorted().toList())
                + "), and no " + history + ". It is neither a new install nor the earlier deploy service's tables; "
                + "restore them from a backup or point the service at another schema (docs/upgrade.md).");
    }

    /** This service's table names present in the current schema, in lower case. */
    private static Set<String> tableNames(Connection connection, String history) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        Set<String> names = new HashSet<>();
        try (ResultSet tables = metaData.getTables(connection.getCatalog(), connection.getSchema(), "%",
                new String[] {"TABLE"})) {
            while (tables.next()) {
                String name = tables.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                if (name.startsWith("fun_ai_deploy_") || name.equals(history)) {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
