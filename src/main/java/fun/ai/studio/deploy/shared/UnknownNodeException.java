package fun.ai.studio.deploy.shared;

/** No runtime node has the name or id the request gives. */
public class UnknownNodeException extends NotFoundException {

    public UnknownNodeException(String message) {
        super(message);
    }
}
