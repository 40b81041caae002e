package fun.ai.studio.deploy.support;

import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A throw-away schema on the MariaDB/MySQL server named by the environment, for tests that run only when
 * {@value #ENABLED_VARIABLE}{@code =true}. {@link #create()} makes a uniquely named schema and fails loudly when the
 * server cannot be reached (a test asked to use MariaDB must not silently skip); {@link #close()} drops it.
 *
 * <p>Environment: {@value #URL_VARIABLE} (server URL without schema, default {@value #DEFAULT_URL}),
 * {@value #USER_VARIABLE} (default {@code root}) and {@value #PASSWORD_VARIABLE} (default empty).
 */
public final class MariaDbTestDatabase implements AutoCloseable {

    public static final String ENABLED_VARIABLE = "DEPLOY_TEST_MARIADB";
    public static final String URL_VARIABLE = "DEPLOY_TEST_MARIADB_URL";
    public static final String USER_VARIABLE = "DEPLOY_TEST_MARIADB_USER";
    public static final String PASSWORD_VARIABLE = "DEPLOY_TEST_MARIADB_PASSWORD";
    public static final String DEFAULT_URL = "jdbc:mysql://127.0.0.1:3306/";

    // The same driver settings the application's default URL uses, so tests exercise what production runs.
    private static final String DRIVER_PARAMETERS =
            "connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true";

    private final String serverBase;
    private final String extraParameters;
    private final String username;
    private final String password;
    private final String schema;

    private MariaDbTestDatabase(String serverUrl, String username, String password, String schema) {
        int query = serverUrl.indexOf('?');
        String base = query < 0 ? serverUrl : serverUrl.substring(0, query);
        this.serverBase = base.endsWith("/") ? base : base + "/";
        this.extraParameters = query < 0 ? "" : "&" + serverUrl.substring(query + 1);
        this.username = username;
        this.password = password;
        this.schema = schema;
    }

    /** Creates a new empty schema named {@code deploy_test_<random>}; throws when the server is unreachable. */
    public static MariaDbTestDatabase create() {
        String schema = "deploy_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        MariaDbTestDatabase database = new MariaDbTestDatabase(env(URL_VARIABLE, DEFAULT_URL),
                env(USER_VARIABLE, "root"), env(PASSWORD_VARIABLE, ""), schema);
        database.execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4");
        return database;
    }

    public String schema() {
        return schema;
    }

    /** JDBC URL of this schema, with the driver parameters the application's default URL uses. */
    public String jdbcUrl() {
        return url(schema);
    }

    /** JDBC URL of this schema reached through {@code 127.0.0.1:port} instead of the server's own address. */
    public String jdbcUrlThroughLocalPort(int port) {
        return serverBase.substring(0, authorityStart()) + "127.0.0.1:" + port + serverBase.substring(pathStart())
                + schema + "?" + DRIVER_PARAMETERS + extraParameters;
    }

    /** Host and port of the server, as the URL names them (port 3306 when it names none). */
    public InetSocketAddress serverAddress() {
        String authority = serverBase.substring(authorityStart(), pathStart());
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? InetSocketAddress.createUnresolved(authority, 3306)
                : InetSocketAddress.createUnresolved(authority.substring(0, colon),
                Integer.parseInt(authority.substring(colon + 1)));
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** The Spring Boot properties that point a context's DataSource at this schema. */
    public Map<String, Object> springProperties() {
        return Map.of("spring.datasource.url", jdbcUrl(),
                "spring.datasource.username", username,
                "spring.datasource.password", password);
    }

    /** Drops the schema. */
    @Override
    public void close() {
        execute("DROP DATABASE IF EXISTS " + schema);
    }

    /** The first column of the first row {@code sql} returns in this schema, read on a connection of its own. */
    public String queryForString(String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(), username, password);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            return result.next() ? result.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("'" + sql + "' failed in " + schema + ": " + e.getMessage(), e);
        }
    }

    private void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(url(""), username, password);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(ENABLED_VARIABLE + "=true but '" + sql + "' failed on " + serverBase
                    + " as user " + username + ": " + e.getMessage(), e);
        }
    }

    private int authorityStart() {
        return serverBase.indexOf("://") + "://".length();
    }

    private int pathStart() {
        return serverBase.indexOf('/', authorityStart());
    }

    private String url(String schemaName) {
        return serverBase + schemaName + "?" + DRIVER_PARAMETERS + extraParameters;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
