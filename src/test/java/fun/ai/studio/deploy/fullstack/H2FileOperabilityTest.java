package fun.ai.studio.deploy.fullstack;

import fun.ai.studio.deploy.support.DeployClient;
import fun.ai.studio.deploy.support.TestTokens;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Operability with persistence on an H2 database file (MySQL mode), so it runs on every machine; and a graceful
 * shutdown, which lets a request already being served finish.
 */
class H2FileOperabilityTest extends PersistentOperabilityTest {

    private static final Duration PATIENCE = Duration.ofSeconds(15);
    // Checked at once and then this often, as the loop these waits replaced did, so neither waits longer.
    private static final Duration POLL = Duration.ofMillis(20);

    @TempDir
    Path directory;

    @Override
    Map<String, Object> datasource() {
        return Map.of("spring.datasource.url", "jdbc:h2:file:" + directory.resolve("deploy")
                        + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE",
                "spring.datasource.username", "sa", "spring.datasource.password", "");
    }

    @Test
    void shutdownLetsARequestAlreadyBeingServedFinishWhileRefusingNewConnections() throws Exception {
        RunningService service = RunningService.start(datasource());
        Thread stopper = new Thread(service::close, "stopper");
        try (Socket socket = new Socket("127.0.0.1", service.port())) {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            byte[] body = DeployClient.toJson(DeployClient.heartbeatBody("rt-in-flight")).getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + DeployClient.HEARTBEAT + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + DeployClient.NODE_HEADER + ": " + TestTokens.NODE + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, 10);
            out.flush();
            MeterRegistry meters = service.bean(MeterRegistry.class);
            await("the request is being served").atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(POLL)
                    .until(() -> meters.find("http.server.requests.active").longTaskTimers()
                            .stream().mapToInt(LongTaskTimer::activeTasks).sum() > 0);

            stopper.start();
            await("new connections are refused").atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(POLL)
                    .until(() -> refusesConnections(service.port()));
            assertThat(stopper.isAlive()).as("shutdown waits for the request").isTrue();
            out.write(body, 10, body.length - 10);
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);

            assertThat(response).startsWith("HTTP/1.1 200 ");
            assertThat(response).contains("\"code\":200").contains("\"name\":\"rt-in-flight\"");
        } finally {
            if (stopper.getState() == Thread.State.NEW) {
                service.close();
            }
            stopper.join(PATIENCE.toMillis());
        }
        assertThat(stopper.isAlive()).as("shutdown finished once the request was answered").isFalse();
    }

    private static boolean refusesConnections(int port) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
