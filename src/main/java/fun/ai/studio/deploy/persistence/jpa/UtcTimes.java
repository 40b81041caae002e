package fun.ai.studio.deploy.persistence.jpa;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one conversion between the domain's instants and the UTC wall-clock values the {@code datetime(3)} columns
 * hold. Writes bind the UTC {@link LocalDateTime} as a {@code 'yyyy-MM-dd HH:mm:ss.SSS'} literal: Hibernate's
 * temporal binding goes through {@link java.sql.Timestamp} and the JVM's default zone (shifting the value), and
 * MySQL Connector/J, which takes MariaDB 10.x for a 5.5 server, silently drops the milliseconds of temporal
 * parameters. A literal is stored as written on MySQL, MariaDB and H2. Reads take the column as a LocalDateTime
 * ({@code getObject}), which no driver converts.
 */
final class UtcTimes {

    private static final DateTimeFormatter COLUMN_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private UtcTimes() {
    }

    /** The value a datetime column is to hold for {@code instant}: its UTC wall clock to the millisecond. */
    static String column(Instant instant) {
        return COLUMN_FORMAT.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    static String column(long epochMillis) {
        return column(Instant.ofEpochMilli(epochMillis));
    }

    /** The instant a datetime column's UTC wall-clock value stands for. */
    static Instant toInstant(LocalDateTime column) {
        return column == null ? null : column.toInstant(ZoneOffset.UTC);
    }
}
