package fun.ai.studio.deploy.shared;

/** The caller may not do this even with a valid credential: a new node beyond the configured limit, or a heartbeat for another node under per-node auth. */
public class NotPermittedException extends DomainException {

    public NotPermittedException(String message) {
        super(message);
    }
}
