package fun.ai.studio.deploy.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends bytes exactly as given, one request per connection, for requests no HTTP client library would send:
 * malformed request lines, raw control characters, paths as typed ({@code curl --path-as-is}), broken framing.
 * The sending side is closed after the request, so a request that promised more body than it sent ends at once.
 */
public final class RawHttp {

    private final int port;

    public RawHttp(int port) {
        this.port = port;
    }

    /** A request line and headers in ASCII, CRLF-separated, with {@code Host} and {@code Connection: close} added. */
    public static byte[] request(String requestLine, String... headers) {
        StringBuilder text = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (String header : headers) {
            text.append(header).append("\r\n");
        }
        return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    public Response send(byte[] request) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(15_000);
            try {
                socket.getOutputStream().write(request);
                socket.shutdownOutput();
            } catch (SocketException e) {
                // The server answered and closed before taking the whole request (an oversized body); read its answer.
            }
            return Response.parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException("raw request failed: " + preview(request), e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (SocketException e) {
            // A reset after the answer (the server closed with request bytes unread) loses nothing already read.
            if (out.size() == 0) {
                throw e;
            }
        }
        return out.toByteArray();
    }

    /** The first bytes of a request, printable, for failure messages. */
    public static String preview(byte[] request) {
        String text = new String(request, 0, Math.min(request.length, 300), StandardCharsets.ISO_8859_1);
        return text.replace("\r", "\\r").replace("\n", "\\n").replaceAll("[^\\x20-\\x7e]", "?");
    }

    /**
     * One answer. {@code status} is 0 for an answer without a status line (HTTP/0.9 style, only a body) and -1
     * when the server sent nothing at all. Header names are lower case; a chunked body is reassembled.
     */
    public record Response(int status, Map<String, String> headers, String body) {

        static Response parse(byte[] bytes) {
            if (bytes.length == 0) {
                return new Response(-1, Map.of(), "");
            }
            String all = new String(bytes, StandardCharsets.ISO_8859_1);
            if (!all.startsWith("HTTP/")) {
                return new Response(0, Map.of(), new String(bytes, StandardCharsets.UTF_8));
            }
            int end = all.indexOf("\r\n\r\n");
            String head = end < 0 ? all : all.substring(0, end);
            int bodyStart = end < 0 ? bytes.length : end + 4;
            String[] lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            if (status >= 100 && status < 200 && bodyStart < bytes.length) {
                // An interim answer (100 Continue); the real one follows.
                return parse(Arrays.copyOfRange(bytes, bodyStart, bytes.length));
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                int at = bodyStart;
                while (at < bytes.length) {
                    int lineEnd = all.indexOf("\r\n", at);
                    int size = Integer.parseInt(all.substring(at, lineEnd).split(";")[0].trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    body.write(bytes, lineEnd + 2, size);
                    at = lineEnd + 2 + size + 2;
                }
            } else {
                body.write(bytes, bodyStart, bytes.length - bodyStart);
            }
            return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
        }

        /** As a {@link DeployClient.Reply}, to check the envelope the same way. */
        public DeployClient.Reply reply() {
            return new DeployClient.Reply(status, headers.getOrDefault("content-type", ""), body);
        }
    }
}
