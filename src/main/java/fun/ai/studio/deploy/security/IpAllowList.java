package fun.ai.studio.deploy.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A set of single addresses and CIDR ranges, IPv4 and IPv6. Empty allows every address. Immutable and
 * safe to share between threads.
 */
final class IpAllowList {

    private final List<Range> ranges;

    private IpAllowList(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /**
     * @param entries  addresses or CIDRs; entries may themselves hold comma-separated lists
     * @param property the configuration property, named in the error when an entry is invalid
     */
    public static IpAllowList parse(List<String> entries, String property) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : entries == null ? List.<String>of() : entries) {
            for (String item : entry.split(",")) {
                String value = item.trim();
                if (!value.isEmpty()) {
                    ranges.add(Range.parse(value).orElseThrow(() -> new IllegalArgumentException(
                            property + " holds '" + value + "', which is not an IP address or CIDR range")));
                }
            }
        }
        return new IpAllowList(ranges);
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** True when the list is empty or holds the address; an unparseable address matches no range. */
    public boolean allows(String address) {
        return ranges.isEmpty() || contains(address);
    }

    /** True only when some range holds the address. */
    public boolean contains(String address) {
        Optional<byte[]> bytes = IpAddresses.parse(address);
        return bytes.isPresent() && ranges.stream().anyMatch(range -> range.contains(bytes.get()));
    }

    private record Range(byte[] network, int prefix) {

        static Optional<Range> parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            Optional<byte[]> bytes = IpAddresses.parse(address);
            if (bytes.isEmpty()) {
                return Optional.empty();
            }
            int bits = bytes.get().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                String suffix = text.substring(slash + 1);
                if (!suffix.matches("\\d{1,3}")) {
                    return Optional.empty();
                }
                prefix = Integer.parseInt(suffix);
                // An IPv4-mapped IPv6 range such as ::ffff:10.0.0.0/104 parses to 4 bytes; shift its prefix.
                if (bytes.get().length == 4 && address.contains(":")) {
                    prefix -= 96;
                }
                if (prefix < 0 || prefix > bits) {
                    return Optional.empty();
                }
            }
            return Optional.of(new Range(bytes.get(), prefix));
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int fullBytes = prefix / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }
}
