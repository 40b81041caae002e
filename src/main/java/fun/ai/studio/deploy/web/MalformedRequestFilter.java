package fun.ai.studio.deploy.web;

import fun.ai.studio.deploy.shared.EnvelopeWriter;
import fun.ai.studio.deploy.shared.LogSafe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import lombok.extern.slf4j.Slf4j;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Refuses with 400, before anything reads them, the parts of a request that Tomcat passes on unchecked but that
 * make a later reader throw, which answered 500:
 * <ul>
 *   <li>a query string that is not valid percent-encoded UTF-8. Tomcat checks the path that way before any filter
 *   runs, but decodes the query only when something first asks for a parameter, and then throws at whoever asked
 *   (actuator, Swagger UI, a controller), while a route that never reads a parameter let the query pass;</li>
 *   <li>a Content-Type that is not one concrete media type ({@code *}{@code /*}, {@code application/*}, an unknown
 *   charset, unparseable text), on which Spring fails as soon as a handler looks for a body.</li>
 * </ul>
 */
@Slf4j
class MalformedRequestFilter extends OncePerRequestFilter {

    private final EnvelopeWriter envelope;

    MalformedRequestFilter(EnvelopeWriter envelope) {
        this.envelope = envelope;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        String contentType = request.getContentType();
        String problem = query == null ? null : queryProblem(query);
        if (problem == null && contentType != null && !contentType.isBlank()) {
            problem = contentTypeProblem(contentType);
        }
        if (problem != null) {
            log.info("refused {} {}: {}", LogSafe.of(request.getMethod()), LogSafe.of(request.getRequestURI()),
                    LogSafe.of(problem));
            envelope.writeError(response, 400, problem);
            return;
        }
        chain.doFilter(request, response);
    }

    /** What is wrong with the raw query string, or null when every escape is well formed and the bytes are UTF-8. */
    static String queryProblem(String query) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(query.length());
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= query.length() || Character.digit(query.charAt(i + 1), 16) < 0
                    || Character.digit(query.charAt(i + 2), 16) < 0) {
                String escape = query.substring(i, Math.min(i + 3, query.length()));
                return "the query string is not valid: '" + escape + "' is not a percent-encoded byte (send a literal % as %25)";
            }
            bytes.write(Character.digit(query.charAt(i + 1), 16) * 16 + Character.digit(query.charAt(i + 2), 16));
            i += 2;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()));
            return null;
        } catch (CharacterCodingException e) {
            return "the query string is not valid: its percent-encoded bytes are not UTF-8";
        }
    }

    static String contentTypeProblem(String contentType) {
        try {
            return MediaType.parseMediaType(contentType).isConcrete() ? null
                    : "the Content-Type header has a wildcard; a body has one concrete type, such as application/json";
        } catch (InvalidMediaTypeException e) {
            return "the Content-Type header is not a valid media type; send application/json";
        }
    }
}
