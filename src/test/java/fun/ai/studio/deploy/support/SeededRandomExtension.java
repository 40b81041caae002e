package fun.ai.studio.deploy.support;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

import java.util.SplittableRandom;

/**
 * Gives a test method a {@link SplittableRandom} parameter seeded with one seed per test run, and starts every
 * failure message with that seed and the command that replays it. The seed is {@code -Ddeploy.test.seed} when
 * set, else random. Each method gets a fresh generator from the seed, so a replay gives it the same inputs
 * whichever methods run before it, or none.
 */
public final class SeededRandomExtension implements ParameterResolver, TestExecutionExceptionHandler {

    public static final String SEED_PROPERTY = "deploy.test.seed";

    /** This run's seed, for a test that prints it up front (a long run, or one that reports more than a failure). */
    public static final long SEED = seed();

    private static long seed() {
        String given = System.getProperty(SEED_PROPERTY);
        return given == null ? new SplittableRandom().nextLong() : Long.parseLong(given.trim());
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SplittableRandom.class;
    }

    @Override
    public SplittableRandom resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return new SplittableRandom(SEED);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (failure instanceof TestAbortedException) {
            throw failure;
        }
        String replay = "seed %d; replay with: ./mvnw test -Dtest=%s#%s -D%s=%d".formatted(SEED,
                context.getRequiredTestClass().getSimpleName(), context.getRequiredTestMethod().getName(),
                SEED_PROPERTY, SEED);
        String cause = failure instanceof AssertionError ? failure.getMessage() : failure.toString();
        throw new AssertionError(replay + "\n" + cause, failure);
    }
}
