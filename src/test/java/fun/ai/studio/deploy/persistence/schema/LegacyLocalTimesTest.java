package fun.ai.studio.deploy.persistence.schema;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The SQL that turns the earlier service's local times into UTC gives what java.time gives, evaluated by a database. */
class LegacyLocalTimesTest {

    @Test
    void aZoneWithOneOffsetIsOneShift() {
        LocalDateTime day = LocalDateTime.parse("2026-12-01T21:12:43");
        assertThat(new LegacyLocalTimes(ZoneId.of("Asia/Shanghai")).toUtc("create_time", day.minusYears(3), day))
                .isEqualTo("TIMESTAMPADD(SECOND, -28800, create_time)");
    }

    @Test
    void aColumnWithNoValuesIsLeftAsItIs() {
        assertThat(new LegacyLocalTimes(ZoneId.of("Asia/Shanghai")).toUtc("create_time", null, null))
                .isEqualTo("create_time");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Asia/Shanghai", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC",
            "Asia/Kolkata"})
    void everyLocalTimeOverTwoYearsBecomesTheInstantJavaTimeGivesIt(String zoneName) throws SQLException {
        ZoneId zone = ZoneId.of(zoneName);
        LocalDateTime first = LocalDateTime.parse("2025-01-01T00:00:00.123456");
        LocalDateTime last = LocalDateTime.parse("2026-12-31T23:45:00");
        List<LocalDateTime> values = new ArrayList<>();
        // Every 15 minutes covers each side of every transition, and the repeated and skipped hours themselves.
        for (LocalDateTime value = first; !value.isAfter(last); value = value.plusMinutes(15)) {
            values.add(value);
        }
        String expression = new LegacyLocalTimes(zone).toUtc("local_time", first, last);

        try (Connection h2 = DriverManager.getConnection("jdbc:h2:mem:legacy-times;MODE=MySQL");
             Statement statement = h2.createStatement()) {
            statement.execute("CREATE TABLE local_times (local_time datetime(6) NOT NULL)");
            try (PreparedStatement insert = h2.prepareStatement("INSERT INTO local_times VALUES (?)")) {
                for (LocalDateTime value : values) {
                    insert.setObject(1, value);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            int checked = 0;
            try (ResultSet rows = statement.executeQuery("SELECT local_time, " + expression + " FROM local_times")) {
                while (rows.next()) {
                    LocalDateTime local = rows.getObject(1, LocalDateTime.class);
                    LocalDateTime expected = local.atZone(zone).withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
                    assertThat(rows.getObject(2, LocalDateTime.class)).as("%s in %s", local, zone).isEqualTo(expected);
                    checked++;
                }
            }
            assertThat(checked).isEqualTo(values.size());
            statement.execute("DROP TABLE local_times");
        }
    }
}
