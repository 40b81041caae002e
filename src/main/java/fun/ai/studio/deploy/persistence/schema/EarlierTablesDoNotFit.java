package fun.ai.studio.deploy.persistence.schema;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Start-up refused because some rows of the earlier deploy service's tables do not fit this service; nothing was
 * changed. The message lists the rows (the first {@value #LISTED}) and the SQL that shows every one of them.
 */
public final class EarlierTablesDoNotFit extends IllegalStateException {

    static final int LISTED = 100;

    EarlierTablesDoNotFit(List<Misfit> misfits) {
        super(describe(misfits));
    }

    private static String describe(List<Misfit> misfits) {
        StringBuilder text = new StringBuilder("The earlier deploy service's tables cannot be taken over: ")
                .append(misfits.size()).append(misfits.size() == 1 ? " row does" : " rows do")
                .append(" not fit this service's rules. Nothing was changed.");
        misfits.stream().limit(LISTED).forEach(misfit -> text.append("\n  - ").append(misfit));
        if (misfits.size() > LISTED) {
            text.append("\n  ... and ").append(misfits.size() - LISTED).append(" more");
        }
        Set<String> queries = new LinkedHashSet<>();
        misfits.forEach(misfit -> queries.add(misfit.inspect()));
        text.append("\nInspect them with:");
        queries.forEach(query -> text.append("\n  ").append(query).append(';'));
        return text.append("\nFix or remove these rows after taking a backup (docs/upgrade.md), then start again.")
                .toString();
    }
}
