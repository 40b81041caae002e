package fun.ai.studio.deploy.contract;

import fun.ai.studio.deploy.support.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's page and its one script are served without a token, and the page's Content-Security-Policy
 * runs no inline script: the script is a file of its own.
 */
class OpsConsoleServingTest extends InMemoryContractTest {

    private RawHttp.Response get(String requestLine, String... headers) {
        return new RawHttp(port).send(RawHttp.request(requestLine + " HTTP/1.1", headers));
    }

    @Test
    void thePagesPolicyAllowsScriptsOnlyFromThisOriginAndNoInlineScript() {
        RawHttp.Response page = get("GET /admin/console");

        String policy = page.headers().get("content-security-policy");
        String scriptSrc = Arrays.stream(policy.split(";")).map(String::trim)
                .filter(directive -> directive.startsWith("script-src ")).findFirst().orElseThrow();
        assertThat(page.status()).isEqualTo(200);
        assertThat(scriptSrc).isEqualTo("script-src 'self'").doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(policy).contains("default-src 'none'", "connect-src 'self'", "frame-ancestors 'none'");
        // The page's only script element loads the file; none carries code of its own.
        assertThat(page.body()).contains("<script src=\"/admin/console.js\"></script>")
                .doesNotContain("<script>").doesNotContainPattern("(?i)\\son[a-z]+=");
    }

    @Test
    void theScriptIsServedWithoutATokenAsJavaScript() {
        RawHttp.Response script = get("GET /admin/console.js");
        RawHttp.Response head = get("HEAD /admin/console.js");

        assertThat(script.status()).isEqualTo(200);
        assertThat(script.headers().get("content-type")).isEqualTo("text/javascript;charset=UTF-8");
        assertThat(script.headers()).containsEntry("x-content-type-options", "nosniff");
        assertThat(script.body()).startsWith("\"use strict\";").contains("X-Admin-Token").doesNotContain("innerHTML");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST /admin/console.js", "GET /admin/console.js/", "GET /admin/console.jsx",
            "GET /admin/console.html", "GET /admin/console.js/x", "PUT /admin/console.js"})
    void onlyGetAndHeadOfExactlyTheScriptsPathAreOpen(String requestLine) {
        String message = get(requestLine).reply().error(401);

        assertThat(message).isEqualTo("missing X-Admin-Token header");
    }
}
