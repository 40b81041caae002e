package fun.ai.studio.deploy.shared;

/**
 * A request the service refuses, with a message the caller can act on. Each subclass is one kind of refusal;
 * the web edge alone decides the status and the envelope each kind gets, so services never speak HTTP.
 */
public abstract class DomainException extends RuntimeException {

    protected DomainException(String message) {
        // No stack trace: these are answers to callers, not faults, and some are frequent (a full fleet).
        super(message, null, false, false);
    }
}
