package fun.ai.studio.deploy.persistence.schema;

import lombok.extern.slf4j.Slf4j;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings the schema to the current version from whatever it holds ({@link SchemaState}): a new install runs every
 * migration even beside other applications' tables; the earlier deploy service's tables are checked row by row
 * (changing nothing when one does not fit) and then adopted by migration 1.1 on a baseline at version 1; this
 * service's tables from a release without their own history table are baselined at version 2. Every step is a
 * Flyway migration recorded in this service's history table; the Java here only decides which, under a named lock.
 */
@Slf4j
final class SchemaMigration implements FlywayMigrationStrategy {

    static final String ADOPTION_LOCATION = "classpath:db/adoption";
    static final String ADOPTION_VERSION = "1.1";

    private static final Duration LOCK_PATIENCE = Duration.ofMinutes(15);
    private static final DateTimeFormatter LITERAL = DateTimeFormatter.ofPattern("''yyyy-MM-dd HH:mm:ss.SSS''");
    private static final List<String> LEGACY_TABLES = List.of(EarlierServicePreCheck.NODES,
            EarlierServicePreCheck.PLACEMENTS, EarlierServicePreCheck.APP_RUNS);

    private final ZoneId legacyTimeZone;
    private final Clock clock;

    SchemaMigration(ZoneId legacyTimeZone, Clock clock) {
        this.legacyTimeZone = legacyTimeZone;
        this.clock = clock;
    }

    @Override
    public void migrate(Flyway flyway) {
        Configuration configured = flyway.getConfiguration();
        DataSource dataSource = configured.getDataSource();
        // The checks of the earlier service's rows read whole tables: no socket timeout on this connection either.
        try (Connection connection = new MigrationDataSource(dataSource).getConnection();
             SchemaLock ignored = SchemaLock.acquire(connection, LOCK_PATIENCE)) {
            SchemaState state = SchemaState.of(connection, configured.getTable());
            log.info("Schema: {} (history table {}, deploy.runtime.persistence.legacy-time-zone={})",
                    state.description(), configured.getTable(), legacyTimeZone);
            FluentConfiguration plan = Flyway.configure(configured.getClassLoader()).configuration(configured)
                    .dataSource(new MigrationDataSource(dataSource));
            // Flyway writes a baseline description into SQL unescaped: no apostrophes in them.
            switch (state) {
                case NEW_INSTALL -> plan.baselineOnMigrate(true).baselineVersion("0")
                        .baselineDescription("no tables of this service yet");
                case EARLIER_SERVICE -> adopt(connection, plan);
                case EARLIER_RELEASE -> plan.baselineOnMigrate(true).baselineVersion("2")
                        .baselineDescription("tables of this service at version 2");
                case MANAGED -> {
                    if (adopted(connection, configured.getTable())) {
                        withAdoption(plan, adoptionPlaceholders(Map.of()));
                    }
                }
            }
            plan.load().migrate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the schema before migrating it: " + e.getMessage(), e);
        }
    }

    private void adopt(Connection connection, FluentConfiguration plan) throws SQLException {
        List<Misfit> misfits = EarlierServicePreCheck.misfits(connection);
        if (!misfits.isEmpty()) {
            throw new EarlierTablesDoNotFit(misfits);
        }
        LegacyLocalTimes times = new LegacyLocalTimes(legacyTimeZone);
        Map<String, String> expressions = new HashMap<>();
        for (String column : List.of("last_heartbeat_at", "create_time", "update_time")) {
            LocalDateTime[] range = range(connection, column);
            expressions.put(column + "_utc", times.toUtc(column, range[0], range[1]));
        }
        log.info("Adopting the earlier deploy service's tables: their local times are read as {} and stored as UTC",
                legacyTimeZone);
        withAdoption(plan.baselineOnMigrate(true).baselineVersion("1")
                .baselineDescription("tables of the earlier deploy service"), adoptionPlaceholders(expressions));
    }

    private Map<String, String> adoptionPlaceholders(Map<String, String> expressions) {
        Map<String, String> placeholders = new HashMap<>(expressions);
        // An adopted schema's later starts resolve the applied script again; its checksum ignores these values.
        for (String column : List.of("last_heartbeat_at", "create_time", "update_time")) {
            placeholders.putIfAbsent(column + "_utc", column);
        }
        placeholders.put("takeover_time_utc", LITERAL.format(LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)));
        return placeholders;
    }

    private static void withAdoption(FluentConfiguration plan, Map<String, String> placeholders) {
        List<Location> locations = new ArrayList<>(List.of(plan.getLocations()));
        locations.add(new Location(ADOPTION_LOCATION));
        Map<String, String> merged = new HashMap<>(plan.getPlaceholders());
        merged.putAll(placeholders);
        plan.locations(locations.toArray(Location[]::new)).placeholders(merged);
    }

    /** The earliest and latest local time {@code column} holds in those of the earlier tables that have it. */
    private static LocalDateTime[] range(Connection connection, String column) throws SQLException {
        LocalDateTime earliest = null;
        LocalDateTime latest = null;
        for (String table : LEGACY_TABLES) {
            if (column.equals("last_heartbeat_at") && !table.equals(EarlierServicePreCheck.NODES)) {
                continue;
            }
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT MIN(" + column + "), MAX(" + column + ") FROM " + table)) {
                row.next();
                earliest = earlier(earliest, row.getObject(1, LocalDateTime.class));
                latest = later(latest, row.getObject(2, LocalDateTime.class));
            }
        }
        return new LocalDateTime[] {earliest, latest};
    }

    private static LocalDateTime earlier(LocalDateTime a, LocalDateTime b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static LocalDateTime later(LocalDateTime a, LocalDateTime b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    private static boolean adopted(Connection connection, String history) throws SQLException {
        String quote = connection.getMetaData().getIdentifierQuoteString();
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT COUNT(*) FROM " + quote + history + quote + " WHERE " + quote + "version" + quote + " = ?")) {
            query.setString(1, ADOPTION_VERSION);
            try (ResultSet count = query.executeQuery()) {
                count.next();
                return count.getLong(1) > 0;
            }
        }
    }

    /**
     * Connections for the schema work, without the driver's socket timeout: checking or altering a large table may
     * take longer than a request may. The pool restores the timeout when the connection is returned.
     */
    private static final class MigrationDataSource extends DelegatingDataSource {

        MigrationDataSource(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection connection = super.getConnection();
            String product = connection.getMetaData().getDatabaseProductName();
            if (product.equalsIgnoreCase("MySQL") || product.equalsIgnoreCase("MariaDB")) {
                connection.setNetworkTimeout(Runnable::run, 0);
            }
            return connection;
        }
    }
}
