package fun.ai.studio.deploy.placement;

import org.springframework.context.ApplicationContext;

/** Runs the context's condition recording at once, for tests outside this package that must know it has run. */
public final class NodeConditionRounds {

    private NodeConditionRounds() {
    }

    /** One round of the recorder as its loop runs it; returns how many nodes' conditions it recorded as changed. */
    public static int recordNow(ApplicationContext context) {
        return context.getBean(NodeConditionRecorder.class).record();
    }
}
