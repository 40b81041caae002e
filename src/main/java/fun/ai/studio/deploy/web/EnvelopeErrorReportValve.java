package fun.ai.studio.deploy.web;

import fun.ai.studio.deploy.shared.LogSafe;
import lombok.extern.slf4j.Slf4j;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Tomcat refuses some requests before any filter or servlet runs (an encoded slash in the path, a space or
 * other illegal character in the URL, an oversized header) and answers them with an HTML page. This valve
 * gives those answers the service's JSON envelope and response headers instead, and logs each client error in
 * one line; never a stack trace.
 */
@Slf4j
public class EnvelopeErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // Same guards as Tomcat's own report: only errors, only when nothing was written, only once.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String message;
        // Tomcat answers an unknown Transfer-Encoding with 501 and an HTTP version it does not speak with 505. Both
        // are the caller's mistake, and this service answers bad input with 400, never with a 5xx.
        if (status == 501 || status == 505) {
            message = status == 501
                    ? "malformed request: the Transfer-Encoding is not supported; send chunked or a Content-Length"
                    : "malformed request: the HTTP version is not supported; send HTTP/1.1";
            status = 400;
            response.setStatus(status);
        } else {
            message = status == 400 ? "malformed request: the URL or a header is not valid HTTP"
                    : status >= 500 ? "internal error"
                    : HttpStatus.resolve(status) != null ? HttpStatus.resolve(status).getReasonPhrase().toLowerCase(Locale.ROOT)
                    : "error";
        }
        if (status < 500) {
            // Tomcat's own log line for these carries a stack trace and is switched off in application.properties.
            log.info("refused {} {} from {}: {} ({})", LogSafe.of(request.getMethod()),
                    LogSafe.of(request.getRequestURI()), LogSafe.of(request.getRemoteAddr()), message,
                    throwable == null ? "no detail" : LogSafe.of(throwable.getMessage()));
        }
        try {
            ResponseHeadersFilter.apply(response);
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                // The messages above are fixed ASCII without quotes, so no JSON escaping is needed.
                writer.write("{\"code\":" + status + ",\"message\":\"" + message + "\",\"data\":null}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response is committed; there is no one left to answer.
        }
    }
}
