package fun.ai.studio.deploy.web.api;

import fun.ai.studio.deploy.shared.Routes;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

import java.nio.charset.StandardCharsets;

/**
 * Serves the ops console: the page and its script. Both are public (they hold no data and the page asks for the
 * admin token); every call the page makes goes to the token-protected admin API. Like every answer, they carry
 * {@code Cache-Control: no-store}, so an upgraded service never runs against a stale page or script.
 */
@Controller
class OpsConsoleController {


    /**
     * Scripts come only from this origin (the page's one script is {@link Routes#CONSOLE_SCRIPT}), so markup that ever got into
     * the page could not run; the page talks to this origin only. Nothing else may load or be contacted, and
     * {@code form-action 'none'} keeps a browser with scripts off from submitting the login form, which would put
     * the token in a URL. The style is still inline.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; "
            + "style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    private static final MediaType HTML_UTF8 = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);
    private static final MediaType JAVASCRIPT_UTF8 = new MediaType("text", "javascript", StandardCharsets.UTF_8);

    private final Resource page = new ClassPathResource("static/admin/console.html");
    private final Resource script = new ClassPathResource("static/admin/console.js");

    /** GET mappings answer HEAD too. */
    @GetMapping(Routes.CONSOLE_PAGE)
    public ResponseEntity<Resource> console() {
        return ResponseEntity.ok()
                .contentType(HTML_UTF8)
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("Referrer-Policy", "no-referrer")
                .body(page);
    }

    @GetMapping(Routes.CONSOLE_SCRIPT)
    public ResponseEntity<Resource> script() {
        return ResponseEntity.ok().contentType(JAVASCRIPT_UTF8).body(script);
    }
}
