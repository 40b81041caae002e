package fun.ai.studio.deploy.shared;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Writes an error envelope straight to the response, for filters that answer before any controller runs. */
@Component
public class EnvelopeWriter {

    private final JsonMapper json;

    public EnvelopeWriter(JsonMapper json) {
        this.json = json;
    }

    public void writeError(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getOutputStream().write(json.writeValueAsBytes(ApiResponse.error(status, message)));
    }
}
