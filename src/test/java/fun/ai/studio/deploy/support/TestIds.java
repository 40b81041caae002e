package fun.ai.studio.deploy.support;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Node names and appIds unique within the JVM. Test classes share an application context and its state,
 * so each test works on identifiers no other test has touched.
 */
public final class TestIds {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private TestIds() {
    }

    public static String nodeName(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet();
    }

    public static String appId(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet();
    }
}
