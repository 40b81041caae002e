package fun.ai.studio.deploy.shared;

/** What the request names does not exist: an app without a placement or a recorded run. */
public class NotFoundException extends DomainException {

    public NotFoundException(String message) {
        super(message);
    }
}
