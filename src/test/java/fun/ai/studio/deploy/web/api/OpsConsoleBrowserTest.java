package fun.ai.studio.deploy.web.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The ops console in a real headless Chromium against the running service: Debian's chromium and chromedriver,
 * named by path so Selenium never tries to download a browser or a driver (the machine has no network).
 * Skipped only on a developer machine without chromium; under {@code CI=true} a missing browser fails.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "deploy.admin.token=" + OpsConsoleBrowserTest.ADMIN_TOKEN,
        "deploy.runtime-node-registry.shared-secret=" + OpsConsoleBrowserTest.NODE_SECRET,
        "deploy.internal-api.shared-secret=" + OpsConsoleBrowserTest.INTERNAL_SECRET})
class OpsConsoleBrowserTest {

    static final String ADMIN_TOKEN = "console-test-admin-token";
    static final String NODE_SECRET = "console-test-node-secret";
    static final String INTERNAL_SECRET = "console-test-internal-secret";

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOT = Path.of("target", "console-e2e.png");
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Beyond any revision the log of this test reaches: a watch after it answers 410. */
    private static final String REVISION_NEVER_REACHED = "1000000000";

    /**
     * Runs before the page's own scripts in every page: records the console's calls, keeps the timers console.js
     * sets so a test can fire them at once (what a timer would do is then asserted without waiting for it), and
     * on request doctors the next node list's X-Deploy-Revision or refuses watches with a 503.
     */
    private static final String PROBE = """
            (() => {
              const probe = { calls: [], watchesWaiting: 0, mostWatchesWaiting: 0, delays: [],
                nextListRevision: null, watchesToRefuse: 0 };
              const timers = new Map();
              const realSetTimeout = window.setTimeout.bind(window);
              const realClearTimeout = window.clearTimeout.bind(window);
              const realSetInterval = window.setInterval.bind(window);
              const realClearInterval = window.clearInterval.bind(window);
              const realFetch = window.fetch.bind(window);
              const fromConsole = () => /console\\.js/.test(new Error().stack);
              window.setTimeout = (callback, delay, ...args) => {
                if (!fromConsole()) {
                  return realSetTimeout(callback, delay, ...args);
                }
                probe.delays.push(delay);
                const id = realSetTimeout(() => { timers.delete(id); callback(...args); }, delay);
                timers.set(id, { callback, args, repeats: false });
                return id;
              };
              window.clearTimeout = (id) => { timers.delete(id); realClearTimeout(id); };
              window.setInterval = (callback, delay, ...args) => {
                const id = realSetInterval(callback, delay, ...args);
                if (fromConsole()) {
                  timers.set(id, { callback, args, repeats: true });
                }
                return id;
              };
              window.clearInterval = (id) => { timers.delete(id); realClearInterval(id); };
              probe.fireTimers = () => {
                for (const [id, timer] of [...timers]) {
                  if (!timer.repeats) {
                    timers.delete(id);
                    realClearTimeout(id);
                  }
                  timer.callback(...timer.args);
                }
              };
              window.fetch = async (input, init) => {
                const url = new URL(String(input), location.href);
                probe.calls.push(url.pathname + url.search);
                const changes = url.pathname === "/admin/changes";
                if (changes && probe.watchesToRefuse > 0) {
                  probe.watchesToRefuse--;
                  return new Response(JSON.stringify({ code: 503, message: "probe: too many watches", data: null }),
                    { status: 503, statusText: "Service Unavailable", headers: { "Content-Type": "application/json" } });
                }
                const waits = changes && url.searchParams.get("waitSeconds") !== "0";
                if (waits) {
                  probe.mostWatchesWaiting = Math.max(probe.mostWatchesWaiting, ++probe.watchesWaiting);
                }
                try {
                  const response = await realFetch(input, init);
                  if (url.pathname === "/admin/runtime-nodes/list" && url.search === "" && probe.nextListRevision !== null) {
                    const headers = new Headers(response.headers);
                    headers.set("X-Deploy-Revision", probe.nextListRevision);
                    probe.nextListRevision = null;
                    return new Response(await response.text(),
                      { status: response.status, statusText: response.statusText, headers });
                  }
                  return response;
                } finally {
                  if (waits) {
                    probe.watchesWaiting--;
                  }
                }
              };
              window.__probe = probe;
            })();
            """;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ChromeDriver driver;
    private static Path profile;

    @LocalServerPort
    private int port;

    private WebDriverWait wait;

    @BeforeAll
    static void startBrowser() throws IOException {
        boolean ci = "true".equals(System.getenv("CI"));
        assumeTrue(Files.isExecutable(CHROMIUM) || ci,
                "no " + CHROMIUM + " on this machine: apt-get install chromium chromium-driver to run this test");
        assertThat(CHROMIUM).as("the CI script must apt-get install chromium chromium-driver").isExecutable();
        assertThat(CHROMEDRIVER).as("the CI script must apt-get install chromium chromium-driver").isExecutable();

        profile = Files.createTempDirectory("console-e2e-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1440,1000",
                "--force-device-scale-factor=1", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", PROBE));
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            FileSystemUtils.deleteRecursively(profile);
        }
    }

    /** Every test starts signed out, on a freshly loaded page. */
    @BeforeEach
    void openConsoleSignedOut() {
        wait = new WebDriverWait(driver, WAIT);
        driver.get(consoleUrl());
        driver.executeScript("sessionStorage.clear()");
        driver.get(consoleUrl());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
    }

    @Test
    void theConsoleAndItsScriptAreServedWithoutATokenAndLoadNothingFromElsewhere() throws Exception {
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(consoleUrl())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(URI.create(consoleUrl()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(get.headers().firstValue("Content-Security-Policy")).hasValue(OpsConsoleController.CONTENT_SECURITY_POLICY);
        assertThat(get.body()).contains("X-Admin-Token").doesNotContain("http://", "https://", "innerHTML");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        HttpResponse<String> script = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + fun.ai.studio.deploy.shared.Routes.CONSOLE_SCRIPT))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).contains("X-Admin-Token").doesNotContain("http://", "https://", "innerHTML");
        // The page is public; the API it calls is not.
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/runtime-nodes/list")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    void aWrongTokenIsRejectedWithTheServicesMessageAndNothingIsKept() {
        signIn("not-the-token");

        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
        assertThat(error.getAttribute("role")).isEqualTo("alert");
        assertThat(error.getText()).contains("wrong X-Admin-Token");
        assertThat(driver.findElement(By.id("console-view")).isDisplayed()).isFalse();
        assertThat(driver.executeScript("return sessionStorage.length")).isEqualTo(0L);
    }

    @Test
    void aTokenRefusedMidSessionReturnsToTheLoginFormAndLogOutForgetsTheToken() {
        signInAsAdmin();
        driver.executeScript("for (const k of Object.keys(sessionStorage)) sessionStorage.setItem(k, 'rotated-away');");
        driver.navigate().refresh();

        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
        assertThat(error.getText()).contains("refused").contains("wrong X-Admin-Token");

        signInAsAdmin();
        driver.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        assertThat(driver.executeScript("return sessionStorage.length")).isEqualTo(0L);
        driver.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
        assertThat(driver.findElement(By.id("console-view")).isDisplayed()).isFalse();
    }

    @Test
    void anApiErrorShowsTheEnvelopeMessageInTheAlertBanner() throws Exception {
        long nodeId = heartbeat("rt-err", 50.0, 1).path("nodeId").asLong();
        admin("POST", "/admin/runtime-nodes/set-enabled?name=rt-err&enabled=false", null);
        signInAsAdmin();
        waitForNodeRow("rt-err");

        driver.findElement(By.id("reassign-app")).sendKeys("app-to-nowhere");
        new Select(driver.findElement(By.id("reassign-target"))).selectByValue(String.valueOf(nodeId));
        driver.findElement(By.id("reassign-submit")).click();

        WebElement banner = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("banner")));
        assertThat(banner.getAttribute("role")).isEqualTo("alert");
        assertThat(banner.getText()).contains("(rt-err) is disabled");
    }

    @Test
    void anOperatorSeesFreshNodesDisablesOneDrainsItAndPagesThroughTheApps() throws Exception {
        List<String> names = List.of("rt-a", "rt-b", "rt-c");
        Map<String, Long> ids = new LinkedHashMap<>();
        for (String name : names) {
            ids.put(name, heartbeat(name, 40.0 + 20 * ids.size(), 3 + ids.size()).path("nodeId").asLong());
        }
        // Other tests of this class register nodes too: switched off, so the apps land on these three.
        for (JsonNode node : admin("GET", "/admin/runtime-nodes/list", null)) {
            String name = node.path("name").asString();
            if (!names.contains(name) && node.path("enabled").asBoolean()) {
                admin("POST", "/admin/runtime-nodes/set-enabled?name=" + name + "&enabled=false", null);
            }
        }
        for (int i = 1; i <= 30; i++) {
            internal("POST", "/internal/placements/ensure", "{\"appId\":\"shop-" + String.format("%02d", i) + "\"}");
        }
        Map<String, Long> before = placementCounts();
        // The drain must move something: take the node that got the most apps (at least 10 of 30 on 3 nodes).
        String source = names.stream().max((x, y) -> Long.compare(before.get(x), before.get(y))).orElseThrow();
        long sourceId = ids.get(source);
        long onSource = before.get(source);
        assertThat(onSource).isGreaterThanOrEqualTo(10);

        signInAsAdmin();

        // Fresh heartbeats: HEALTHY, so the heartbeat is recent (heartbeats are not in the feed), the counts of the API.
        wait.until(d -> "HEALTHY".equals(cell(source, "health").getText()));
        assertThat(cell(source, "heartbeat-age").getText()).isEqualTo("recent");
        for (String name : names) {
            assertThat(cell(name, "placement-count").getText()).isEqualTo(String.valueOf(before.get(name)));
        }
        assertThat(driver.findElement(By.id("last-refresh")).getText()).startsWith("Updated ");

        // Disable the source with its switch; the API agrees.
        nodeRow(source).findElement(By.cssSelector("label.switch")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), source + " is now disabled"));
        assertThat(nodeView(source).path("enabled").asBoolean()).isFalse();
        assertThat(cell(source, "enabled-switch").isSelected()).isFalse();

        // Preview: the strategy chooses, nothing moves yet.
        new Select(driver.findElement(By.id("drain-source"))).selectByValue(String.valueOf(sourceId));
        assertThat(new Select(driver.findElement(By.id("drain-target"))).getFirstSelectedOption().getText())
                .isEqualTo("Let the strategy choose");
        driver.findElement(By.id("drain-preview")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("drain-plan")));
        Map<Long, Long> planned = countsPerTarget("drain-plan-by-target");
        assertThat(planned.keySet()).isSubsetOf(ids.get("rt-a"), ids.get("rt-b"), ids.get("rt-c")).doesNotContain(sourceId);
        assertThat(planned.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(onSource);
        assertThat(driver.findElement(By.id("drain-planned")).getText()).isEqualTo(String.valueOf(onSource));
        assertThat(driver.findElements(By.cssSelector("#drain-plan-rows [data-testid='plan-row']"))).hasSize(8);
        assertThat(placementCounts().get(source)).isEqualTo(onSource);

        // Confirm: everything leaves the source, the targets gain what the result says.
        driver.findElement(By.id("drain-confirm")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("drain-result")));
        assertThat(driver.findElement(By.id("drain-moved")).getText()).isEqualTo(String.valueOf(onSource));
        assertThat(driver.findElement(By.id("drain-remaining")).getText()).isEqualTo("0");
        Map<Long, Long> moved = countsPerTarget("drain-moved-by-target");
        assertThat(moved).isEqualTo(planned);
        wait.until(d -> cell(source, "placement-count").getText().equals("0"));
        for (String name : names) {
            long expected = name.equals(source) ? 0 : before.get(name) + moved.getOrDefault(ids.get(name), 0L);
            assertThat(cell(name, "placement-count").getText()).as(name).isEqualTo(String.valueOf(expected));
        }
        assertThat(placementCounts().get(source)).isZero();

        // Page through the fullest node, 10 apps at a time, by keyset.
        String fullest = names.stream().max((x, y) -> Long.compare(
                Long.parseLong(cell(x, "placement-count").getText()),
                Long.parseLong(cell(y, "placement-count").getText()))).orElseThrow();
        List<String> expectedApps = new ArrayList<>();
        admin("GET", "/admin/runtime-nodes/placements?nodeId=" + ids.get(fullest) + "&limit=2000", null)
                .path("items").forEach(item -> expectedApps.add(item.path("appId").asString()));
        assertThat(expectedApps).hasSizeGreaterThan(10);

        clickInView(nodeRow(fullest).findElement(By.cssSelector("[data-testid='show-apps']")));
        wait.until(ExpectedConditions.textToBe(By.id("placements-total"), String.valueOf(expectedApps.size())));
        new Select(driver.findElement(By.id("page-size"))).selectByValue("10");
        wait.until(ExpectedConditions.textToBe(By.id("placements-position"), "Page 1 · apps 1–10 of " + expectedApps.size()));
        List<String> seen = new ArrayList<>(appsOnPage());
        int page = 1;
        while (driver.findElement(By.id("placements-next")).isEnabled()) {
            driver.findElement(By.id("placements-next")).click();
            String expectedPosition = "Page " + ++page + " · apps " + (seen.size() + 1) + "–";
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("placements-position"), expectedPosition));
            seen.addAll(appsOnPage());
        }
        assertThat(seen).isEqualTo(expectedApps);
        assertThat(page).isEqualTo((expectedApps.size() + 9) / 10);
        saveScreenshot();

        driver.findElement(By.id("placements-first")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("placements-position"), "Page 1 · "));
        assertThat(appsOnPage()).isEqualTo(expectedApps.subList(0, 10));
    }

    @Test
    void changesMadeThroughTheApiShowUpInTheTableAndTheRecentChangesWithoutListingAgain() throws Exception {
        long a = heartbeat("rt-live-a", 60.0, 1).path("nodeId").asLong();
        long b = heartbeat("rt-live-b", 60.0, 1).path("nodeId").asLong();
        admin("POST", "/admin/runtime-nodes/reassign", "{\"appId\":\"live-app\",\"targetNodeId\":" + a + "}");
        signInAsAdmin();
        waitUntilLive();
        assertThat(cell("rt-live-a", "placement-count").getText()).isEqualTo("1");

        admin("POST", "/admin/runtime-nodes/upsert", JSON.writeValueAsString(Map.of("name", "rt-live-a",
                "agentBaseUrl", "http://rt-live-a.test:7005", "gatewayBaseUrl", "https://rt-live-a.gw.test", "weight", 7)));
        admin("POST", "/admin/runtime-nodes/set-enabled?name=rt-live-b&enabled=false", null);
        long c = heartbeat("rt-live-c", 60.0, 1).path("nodeId").asLong();
        admin("POST", "/admin/runtime-nodes/reassign", "{\"appId\":\"live-app\",\"targetNodeId\":" + c + "}");

        wait.until(d -> cell("rt-live-a", "weight").getText().equals("7"));
        wait.until(d -> !cell("rt-live-b", "enabled-switch").isSelected());
        assertThat(nodeRow("rt-live-b").getAttribute("class")).contains("off");
        wait.until(d -> cell("rt-live-c", "placement-count").getText().equals("1"));
        wait.until(d -> cell("rt-live-a", "placement-count").getText().equals("0"));
        waitForChange(Map.of("kind", "node-disabled", "node", "rt-live-b (#" + b + ")", "app", "–", "move", "–", "reason", "–"));
        waitForChange(Map.of("kind", "node-registered", "node", "rt-live-c (#" + c + ")", "app", "–", "move", "–", "reason", "–"));
        waitForChange(Map.of("kind", "placement-moved", "node", "–", "app", "live-app",
                "move", "rt-live-a (#" + a + ") → rt-live-c (#" + c + ")", "reason", "reassign"));
        List<Long> revisions = changesShown().stream().map(row -> Long.parseLong(row.get("revision"))).toList();
        assertThat(revisions).isSortedAccordingTo(Comparator.reverseOrder()).doesNotHaveDuplicates();

        // Whatever timer the console has set, fired now, lists nothing: the sign-in's list stays the only one.
        driver.executeScript("__probe.fireTimers()");
        assertThat(plainListCalls()).isEqualTo(1);

        // Signed out and in again, the console still holds one watch at a time.
        driver.findElement(By.id("logout")).click();
        signInAsAdmin();
        waitUntilLive();
        admin("POST", "/admin/runtime-nodes/set-enabled?name=rt-live-b&enabled=true", null);
        wait.until(d -> cell("rt-live-b", "enabled-switch").isSelected());
        assertThat(driver.executeScript("return __probe.mostWatchesWaiting")).isEqualTo(1L);
    }

    @Test
    void aRevisionTheLogNoLongerKeepsMakesTheConsoleListAgainAndFollowOn() throws Exception {
        driver.executeScript("__probe.nextListRevision = '" + REVISION_NEVER_REACHED + "'");
        signInAsAdmin();
        waitUntilLive();

        long id = heartbeat("rt-relisted", 60.0, 1).path("nodeId").asLong();

        waitForNodeRow("rt-relisted");
        waitForChange(Map.of("kind", "node-registered", "node", "rt-relisted (#" + id + ")", "app", "–", "move", "–", "reason", "–"));
        assertThat(calls()).anyMatch(call -> call.startsWith("/admin/changes?after=" + REVISION_NEVER_REACHED + "&"));
        assertThat(plainListCalls()).isEqualTo(2);
    }

    @Test
    void aRefusedWatchIsAskedAgainAfterAPauseThatDoubles() throws Exception {
        heartbeat("rt-refused", 60.0, 1);
        signInAsAdmin();
        waitUntilLive();
        driver.executeScript("__probe.watchesToRefuse = Number.MAX_SAFE_INTEGER");

        // The waiting watch answers this; the next ones are refused.
        admin("POST", "/admin/runtime-nodes/set-enabled?name=rt-refused&enabled=false", null);

        wait.until(d -> !cell("rt-refused", "enabled-switch").isSelected());
        wait.until(d -> feedStatus().getText().matches("Reconnecting in \\d+ s"));
        assertThat(feedStatus().getAttribute("title")).isEqualTo("probe: too many watches");
        wait.until(d -> (Long) driver.executeScript("__probe.fireTimers(); return __probe.delays.length") >= 2);
        driver.executeScript("__probe.watchesToRefuse = 0");
        wait.until(d -> {
            driver.executeScript("__probe.fireTimers()");
            return feedStatus().getText().equals("Live");
        });
        @SuppressWarnings("unchecked")
        List<Long> delays = (List<Long>) driver.executeScript("return __probe.delays");
        assertThat(delays.subList(0, 2)).containsExactly(1000L, 2000L);

        admin("POST", "/admin/runtime-nodes/set-enabled?name=rt-refused&enabled=true", null);
        wait.until(d -> cell("rt-refused", "enabled-switch").isSelected());
        assertThat(plainListCalls()).isEqualTo(1);
    }

    @Test
    void theRedeployBacklogFollowsMovesAndSuccessfulReportsAndPagesOnWithMore() throws Exception {
        long a = heartbeat("rt-bl-a", 60.0, 1).path("nodeId").asLong();
        long b = heartbeat("rt-bl-b", 60.0, 1).path("nodeId").asLong();
        for (int i = 1; i <= 55; i++) {
            admin("POST", "/admin/runtime-nodes/reassign",
                    "{\"appId\":\"bl-more-" + String.format("%02d", i) + "\",\"targetNodeId\":" + a + "}");
        }
        admin("POST", "/admin/runtime-nodes/reassign", "{\"appId\":\"bl-app\",\"targetNodeId\":" + b + "}");
        signInAsAdmin();
        waitUntilLive();

        // 55 moves by a drain: the first 50 of the backlog, then 50 more.
        admin("POST", "/admin/runtime-nodes/drain", "{\"sourceNodeId\":" + a + ",\"targetNodeId\":" + b
                + ",\"limit\":2000,\"dryRun\":false}");
        JsonNode backlog = admin("GET", "/admin/apps?state=moved&limit=100", null);
        long total = backlog.path("total").asLong();
        assertThat(total).isGreaterThanOrEqualTo(55);
        wait.until(ExpectedConditions.textToBe(By.id("backlog-total"), String.valueOf(total)));
        wait.until(d -> backlogShown().size() == 50);
        assertThat(backlogShown()).isEqualTo(appIds(backlog).subList(0, 50));
        assertThat(backlogRow("bl-more-01")).isEqualTo(Map.of("from", "rt-bl-a (#" + a + ")", "to", "rt-bl-b (#" + b + ")",
                "reason", "drain"));
        clickInView(driver.findElement(By.id("backlog-more")));
        wait.until(d -> backlogShown().size() == Math.min(100, total));
        assertThat(backlogShown()).isEqualTo(appIds(backlog));

        // A reassign puts an app in; the Runner's SUCCEEDED on its new node takes it out. The rows shown stay as many.
        admin("POST", "/admin/runtime-nodes/reassign", "{\"appId\":\"bl-app\",\"targetNodeId\":" + a + "}");
        wait.until(d -> backlogShown().contains("bl-app"));
        assertThat(backlogRow("bl-app")).isEqualTo(Map.of("from", "rt-bl-b (#" + b + ")", "to", "rt-bl-a (#" + a + ")",
                "reason", "reassign"));
        wait.until(ExpectedConditions.textToBe(By.id("backlog-total"), String.valueOf(total + 1)));
        internal("POST", "/internal/apps/bl-app/report", "{\"status\":\"SUCCEEDED\"}");
        wait.until(d -> !backlogShown().contains("bl-app"));
        wait.until(ExpectedConditions.textToBe(By.id("backlog-total"), String.valueOf(total)));
        assertThat(backlogShown()).isEqualTo(appIds(admin("GET", "/admin/apps?state=moved&limit=100", null)));
    }

    // ---- browser helpers --------------------------------------------------------------------------------

    private void signIn(String token) {
        WebElement input = driver.findElement(By.id("login-token"));
        input.clear();
        input.sendKeys(token);
        driver.findElement(By.id("login-submit")).click();
    }

    private void signInAsAdmin() {
        signIn(ADMIN_TOKEN);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nodes-table")));
    }

    /** Selenium scrolls a control only just into view, which can leave it under the sticky top bar. */
    private void clickInView(WebElement control) {
        driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", control);
        control.click();
    }

    private void waitUntilLive() {
        wait.until(d -> feedStatus().getText().equals("Live"));
    }

    private WebElement feedStatus() {
        return driver.findElement(By.id("feed-status"));
    }

    /** The recent-changes rows as shown, read in one go in the page (the panel is redrawn with every change). */
    @SuppressWarnings("unchecked")
    private List<Map<String, String>> changesShown() {
        return (List<Map<String, String>>) driver.executeScript("""
                const text = (row, id) => row.querySelector("[data-testid='change-" + id + "']").textContent;
                return [...document.querySelectorAll("#changes-rows [data-testid='change-row']")].map((row) => ({
                  revision: row.dataset.revision, kind: text(row, "kind"), node: text(row, "node"), app: text(row, "app"),
                  move: text(row, "move"), reason: text(row, "reason") }));
                """);
    }

    /** Waits for a recent-changes row with these columns (all but its revision). */
    private void waitForChange(Map<String, String> columns) {
        wait.until(d -> changesShown().stream().anyMatch(row -> {
            Map<String, String> shown = new HashMap<>(row);
            shown.remove("revision");
            return shown.equals(columns);
        }));
    }

    @SuppressWarnings("unchecked")
    private List<String> backlogShown() {
        return (List<String>) driver.executeScript(
                "return [...document.querySelectorAll('#backlog-rows [data-testid=\"backlog-row\"]')].map((row) => row.dataset.appId)");
    }

    /** From, to and reason of the app's backlog row, read in one go in the page. */
    @SuppressWarnings("unchecked")
    private Map<String, String> backlogRow(String appId) {
        return (Map<String, String>) driver.executeScript("""
                const row = document.querySelector("#backlog-rows [data-app-id='" + arguments[0] + "']");
                const text = (id) => row.querySelector("[data-testid='backlog-" + id + "']").textContent;
                return { from: text("from"), to: text("to"), reason: text("reason") };
                """, appId);
    }

    private static List<String> appIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(item -> ids.add(item.path("appId").asString()));
        return ids;
    }

    @SuppressWarnings("unchecked")
    private List<String> calls() {
        return (List<String>) driver.executeScript("return __probe.calls");
    }

    /** Calls of the whole node list (pages of it carry a query). */
    private long plainListCalls() {
        return calls().stream().filter("/admin/runtime-nodes/list"::equals).count();
    }

    private WebElement waitForNodeRow(String name) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(nodeRowLocator(name)));
    }

    private WebElement nodeRow(String name) {
        return driver.findElement(nodeRowLocator(name));
    }

    private static By nodeRowLocator(String name) {
        return By.cssSelector("tr[data-node-name='" + name + "']");
    }

    private WebElement cell(String nodeName, String testId) {
        return waitForNodeRow(nodeName).findElement(By.cssSelector("[data-testid='" + testId + "']"));
    }

    private Map<Long, Long> countsPerTarget(String tableId) {
        Map<Long, Long> counts = new HashMap<>();
        for (WebElement row : driver.findElements(By.cssSelector("#" + tableId + " [data-testid='target-count']"))) {
            counts.put(Long.parseLong(row.getAttribute("data-node-id")),
                    Long.parseLong(row.findElement(By.cssSelector("[data-testid='target-apps']")).getText()));
        }
        return counts;
    }

    private List<String> appsOnPage() {
        return driver.findElements(By.cssSelector("#placements-rows [data-testid='placement-app']")).stream()
                .map(WebElement::getText).toList();
    }

    /**
     * The whole page, not only the viewport: a headless window cannot grow past its screen, so Chromium is
     * asked through the DevTools protocol to render beyond the viewport.
     */
    @SuppressWarnings("unchecked")
    private void saveScreenshot() throws IOException {
        // At the top, so the sticky header is drawn where it belongs.
        driver.executeScript("window.scrollTo(0, 0)");
        Map<String, Object> content = (Map<String, Object>) driver.executeCdpCommand("Page.getLayoutMetrics", Map.of())
                .get("cssContentSize");
        Map<String, Object> clip = Map.of("x", 0, "y", 0, "scale", 1,
                "width", content.get("width"), "height", content.get("height"));
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        Files.createDirectories(SCREENSHOT.getParent());
        Files.write(SCREENSHOT, Base64.getDecoder().decode((String) shot.get("data")));
    }

    // ---- API helpers ------------------------------------------------------------------------------------

    private JsonNode heartbeat(String name, double diskFreePct, int containers) throws Exception {
        String body = JSON.writeValueAsString(Map.of("nodeName", name, "agentBaseUrl", "http://" + name + ".test:7005",
                "gatewayBaseUrl", "https://" + name + ".gw.test", "diskFreePct", diskFreePct,
                "diskFreeBytes", 50_000_000_000L, "containerCount", containers));
        return call("POST", "/internal/runtime-nodes/heartbeat", "X-RT-Node-Token", NODE_SECRET, body);
    }

    private JsonNode internal(String method, String path, String body) throws Exception {
        return call(method, path, "X-Deploy-Secret", INTERNAL_SECRET, body);
    }

    private JsonNode admin(String method, String path, String body) throws Exception {
        return call(method, path, "X-Admin-Token", ADMIN_TOKEN, body);
    }

    private JsonNode nodeView(String name) throws Exception {
        for (JsonNode node : admin("GET", "/admin/runtime-nodes/list", null)) {
            if (node.path("name").asString().equals(name)) {
                return node;
            }
        }
        throw new AssertionError("no node " + name);
    }

    private Map<String, Long> placementCounts() throws Exception {
        Map<String, Long> counts = new HashMap<>();
        admin("GET", "/admin/runtime-nodes/list", null)
                .forEach(node -> counts.put(node.path("name").asString(), node.path("placementCount").asLong()));
        return counts;
    }

    private JsonNode call(String method, String path, String header, String secret, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).header(header, secret)
                .timeout(WAIT);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("data");
    }

    private String baseUrl() {
        return "http://localhost:" + port;
    }

    private String consoleUrl() {
        return baseUrl() + "/admin/console";
    }
}
