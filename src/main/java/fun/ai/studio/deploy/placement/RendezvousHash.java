package fun.ai.studio.deploy.placement;

import java.nio.charset.StandardCharsets;

/**
 * Weighted highest-random-weight (rendezvous) scores. The hash is a fixed 64-bit function of the appId and
 * the node name only, so every instance, before and after any restart, computes the same scores; changing
 * it would move apps, so it must never change.
 */
final class RendezvousHash {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    // Never a byte of UTF-8 text, so ("ab", "c") and ("a", "bc") hash differently.
    private static final int SEPARATOR = 0xFF;

    private RendezvousHash() {
    }

    /**
     * The node's score for the app; the node with the highest score wins. With score {@code w / -ln(u)} for a
     * uniform {@code u}, a node wins with probability {@code w / sum(w)}, and removing a node changes the winner
     * only for the apps it had won.
     */
    static double score(String appId, String nodeName, double weight) {
        if (weight <= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        long hash = hash64(appId, nodeName);
        // The top 53 bits as a double strictly inside (0, 1).
        double unit = ((hash >>> 11) + 0.5) / (double) (1L << 53);
        return weight / -Math.log(unit);
    }

    static long hash64(String appId, String nodeName) {
        long h = FNV_OFFSET;
        for (byte b : appId.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * FNV_PRIME;
        }
        h = (h ^ SEPARATOR) * FNV_PRIME;
        for (byte b : nodeName.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * FNV_PRIME;
        }
        return mix(h);
    }

    /** MurmurHash3's 64-bit finaliser: FNV alone leaves the high bits of short inputs poorly mixed. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
