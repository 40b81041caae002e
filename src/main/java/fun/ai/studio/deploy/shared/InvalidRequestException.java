package fun.ai.studio.deploy.shared;

/** The request names something the contract does not allow: a malformed value, a parameter out of range, or a combination the operation refuses. */
public class InvalidRequestException extends DomainException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
