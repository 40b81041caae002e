package fun.ai.studio.deploy.shared;

/** No runtime node can take the app now; the caller retries once nodes are back or added. */
public class NoCapacityException extends DomainException {

    public NoCapacityException(String message) {
        super(message);
    }
}
