package fun.ai.studio.deploy.persistence.schema;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * Turns a datetime column holding local times of one zone into UTC, as SQL that MySQL, MariaDB and H2 all run.
 * Named zones in {@code CONVERT_TZ} need the server's time-zone tables, which are often not loaded, so the offsets
 * are worked out here from java.time's rules for the range of values present: one {@code TIMESTAMPADD} for a zone
 * with a single offset over that range, a {@code CASE} over its transitions otherwise. Each local time gets the
 * offset {@link LocalDateTime#atZone} gives it: the earlier one in a repeated hour, and a time in a skipped hour is
 * shifted forward.
 */
final class LegacyLocalTimes {

    private static final DateTimeFormatter LITERAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final ZoneRules rules;

    LegacyLocalTimes(ZoneId zone) {
        this.rules = zone.getRules();
    }

    /**
     * An SQL expression giving the UTC value of {@code column}, exact for every value from {@code earliest} to
     * {@code latest} (both local times of the zone; null when the column holds no value).
     */
    String toUtc(String column, LocalDateTime earliest, LocalDateTime latest) {
        if (earliest == null || latest == null) {
            return column;
        }
        // A day either side keeps the first and last values clear of an offset boundary's edge cases.
        ZoneOffsetTransition next = rules.nextTransition(earliest.minusDays(1).toInstant(ZoneOffset.UTC));
        ZoneOffset offset = rules.getOffset(earliest.minusDays(1).toInstant(ZoneOffset.UTC));
        StringBuilder cases = new StringBuilder();
        while (next != null && !boundary(next).isAfter(latest.plusDays(1))) {
            cases.append(" WHEN ").append(column).append(" < '").append(LITERAL.format(boundary(next)))
                    .append("' THEN ").append(shift(column, offset));
            offset = next.getOffsetAfter();
            next = rules.nextTransition(next.getInstant());
        }
        return cases.isEmpty() ? shift(column, offset)
                : "CASE" + cases + " ELSE " + shift(column, offset) + " END";
    }

    /** The first local time that takes the offset after {@code transition}; earlier ones take the offset before. */
    private static LocalDateTime boundary(ZoneOffsetTransition transition) {
        LocalDateTime before = transition.getDateTimeBefore();
        LocalDateTime after = transition.getDateTimeAfter();
        return before.isAfter(after) ? before : after;
    }

    private static String shift(String column, ZoneOffset offset) {
        return offset.getTotalSeconds() == 0 ? column
                : "TIMESTAMPADD(SECOND, " + -offset.getTotalSeconds() + ", " + column + ")";
    }
}
