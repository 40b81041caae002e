package fun.ai.studio.deploy.web.api;

import fun.ai.studio.deploy.changes.ChangeFeed;
import fun.ai.studio.deploy.changes.ChangesPage;
import fun.ai.studio.deploy.shared.ApiResponse;
import fun.ai.studio.deploy.shared.Routes;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The change feed, for the Runner and consumers of the internal API ({@code X-Deploy-Secret}) and for operators
 * ({@code X-Admin-Token}): the same answer on both. A waiting call holds no request thread.
 */
@RestController
class ChangesController {

    // The container's own limit on an asynchronous request, beyond the longest wait.
    static final long ASYNC_MARGIN_MS = 5_000;

    private final ChangeFeed feed;

    ChangesController(ChangeFeed feed) {
        this.feed = feed;
    }

    @GetMapping({Routes.CHANGES, Routes.ADMIN_CHANGES})
    public DeferredResult<ApiResponse<ChangesPage>> changes(
            @RequestParam(defaultValue = "0") long after,
            @RequestParam(defaultValue = "" + ChangeFeed.DEFAULT_LIMIT) int limit,
            @RequestParam(defaultValue = "" + ChangeFeed.DEFAULT_WAIT_SECONDS) int waitSeconds) {
        // Bad parameters and an expired revision are refused here, before anything waits.
        CompletableFuture<ChangesPage> answer = feed.watch(after, limit, waitSeconds);
        DeferredResult<ApiResponse<ChangesPage>> result =
                new DeferredResult<>(TimeUnit.SECONDS.toMillis(waitSeconds) + ASYNC_MARGIN_MS);
        result.onCompletion(() -> feed.forget(answer));
        answer.whenComplete((page, failure) -> {
            if (failure == null) {
                result.setResult(ApiResponse.ok(page));
            } else {
                result.setErrorResult(failure instanceof CompletionException ? failure.getCause() : failure);
            }
        });
        return result;
    }
}
