package fun.ai.studio.deploy.persistence.jpa;

import java.util.Collections;
import java.util.List;
import java.util.function.ToIntBiFunction;

/**
 * Many rows inserted with a few multi-row INSERTs, {@code rowsPerStatement} at a time: one round trip each, however
 * the driver treats batches.
 */
final class MultiRowInsert {

    private MultiRowInsert() {
    }

    /**
     * Runs {@code head + "(?, ...), (?, ...)" + tail} for each slice of {@code rows} (each row its column values, nulls
     * allowed) through {@code update} (the statement and its arguments), and returns the sum of what it returned.
     */
    static int insert(String head, String tail, List<? extends List<?>> rows, int rowsPerStatement,
                      ToIntBiFunction<String, Object[]> update) {
        int affected = 0;
        for (int from = 0; from < rows.size(); from += rowsPerStatement) {
            List<? extends List<?>> slice = rows.subList(from, Math.min(rows.size(), from + rowsPerStatement));
            String row = "(" + String.join(", ", Collections.nCopies(slice.get(0).size(), "?")) + ")";
            affected += update.applyAsInt(head + String.join(", ", Collections.nCopies(slice.size(), row)) + tail,
                    slice.stream().flatMap(List::stream).toArray());
        }
        return affected;
    }
}
