package fun.ai.studio.deploy.shared;

/** The request is valid but the current state refuses it, for example a node token asked for while every node shares one secret. */
public class ConflictException extends DomainException {

    public ConflictException(String message) {
        super(message);
    }
}
