package fun.ai.studio.deploy.persistence.schema;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints a refused takeover as Boot's start-up failure report: what was found, and what to do. */
public class EarlierTablesDoNotFitFailureAnalyzer extends AbstractFailureAnalyzer<EarlierTablesDoNotFit> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, EarlierTablesDoNotFit cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix or remove the rows listed (after a backup: docs/upgrade.md) and start again.",
                cause);
    }
}
