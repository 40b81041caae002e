package fun.ai.studio.deploy.placement;

/** Where {@code ensure} reports how each call ended; the metrics module counts them. */
public interface EnsureOutcomes {

    enum Outcome { HIT, CREATED, MOVED, NO_CAPACITY, CONFLICT }

    void ensured(Outcome outcome);
}
