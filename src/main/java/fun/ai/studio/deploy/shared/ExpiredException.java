package fun.ai.studio.deploy.shared;

import java.util.Map;

/**
 * What the request asks for is no longer kept, such as change log entries older than the retained window; the
 * answer's {@code data} says what is still there, so the caller can start again from it.
 */
public class ExpiredException extends DomainException {

    private final Map<String, Object> data;

    public ExpiredException(String message, Map<String, Object> data) {
        super(message);
        this.data = Map.copyOf(data);
    }

    public Map<String, Object> data() {
        return data;
    }
}
