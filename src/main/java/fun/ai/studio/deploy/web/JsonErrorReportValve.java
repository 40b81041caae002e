package fun.ai.studio.deploy.web;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Tomcat refuses some requests before Spring sees them (an undecodable URL, a bad header); this valve
 * answers those with the envelope instead of Tomcat's HTML page. The message is Tomcat's reason phrase for
 * the status: nothing of the request or of any exception is echoed.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String message = status >= 500 ? "internal error" : "request refused by the server: HTTP " + status
                + " (check the URL encoding, headers and size of the request)";
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"code\":" + status + ",\"message\":\"" + message + "\",\"data\":null}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response is committed; there is no one left to tell.
        }
    }
}
