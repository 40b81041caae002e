package fun.ai.studio.deploy.web;

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
 * gives those answers the service's JSON envelope instead; never a stack trace.
 */
public class EnvelopeErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // Same guards as Tomcat's own report: only errors, only when nothing was written, only once.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String message = status == 400 ? "malformed request: the URL or a header is not valid HTTP"
                : status >= 500 ? "internal error"
                : HttpStatus.resolve(status) != null ? HttpStatus.resolve(status).getReasonPhrase().toLowerCase(Locale.ROOT)
                : "error";
        try {
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
