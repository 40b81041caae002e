package fun.ai.studio.deploy.console;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

import java.nio.charset.StandardCharsets;

/**
 * Serves the ops console page. The page itself is public (it holds no data and asks for the admin token);
 * every call it makes goes to the token-protected admin API. Like every answer, it carries
 * {@code Cache-Control: no-store}, so an upgraded service never runs against a stale page.
 */
@Controller
public class OpsConsoleController {

    /**
     * The page carries its script and style inline and talks to this origin only. The policy lets nothing
     * else load or be contacted, and {@code form-action 'none'} keeps a browser with scripts off from
     * submitting the login form, which would put the token in a URL.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'unsafe-inline'; "
            + "style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    private static final MediaType HTML_UTF8 = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

    private final Resource page = new ClassPathResource("static/admin/console.html");

    /** GET mappings answer HEAD too. */
    @GetMapping("/admin/console")
    public ResponseEntity<Resource> console() {
        return ResponseEntity.ok()
                .contentType(HTML_UTF8)
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("Referrer-Policy", "no-referrer")
                .body(page);
    }
}
