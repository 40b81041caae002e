package fun.ai.studio.deploy.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Runs {@code n} calls at once, each on its own thread released by one start signal, so they really overlap,
 * and returns their results in call order. The first failure of any call is rethrown.
 */
public final class Concurrently {

    private static final long TIMEOUT_SECONDS = 60;

    private Concurrently() {
    }

    public static <T> List<T> run(int n, IntFunction<T> call) {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    start.await();
                    return call.apply(index);
                }));
            }
            ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            start.countDown();
            List<T> results = new ArrayList<>(n);
            for (Future<T> future : futures) {
                results.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } catch (ExecutionException e) {
            throw new AssertionError("a concurrent call failed: " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new AssertionError("concurrent calls did not finish: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }
}
