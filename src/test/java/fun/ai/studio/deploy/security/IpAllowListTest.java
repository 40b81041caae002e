package fun.ai.studio.deploy.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpAllowListTest {

    private static final String PROPERTY = "deploy.admin.allowed-ips";

    private static IpAllowList of(String... entries) {
        return IpAllowList.parse(List.of(entries), PROPERTY);
    }

    @Test
    void emptyListAllowsEveryAddressButContainsNone() {
        IpAllowList empty = of();

        assertThat(empty.isEmpty()).isTrue();
        assertThat(empty.allows("203.0.113.9")).isTrue();
        assertThat(empty.allows("::1")).isTrue();
        assertThat(empty.contains("203.0.113.9")).isFalse();
        assertThat(IpAllowList.parse(null, PROPERTY).isEmpty()).isTrue();
        assertThat(of(" ", " , ").isEmpty()).isTrue();
    }

    @Test
    void singleIpv4AddressMatchesOnlyItself() {
        IpAllowList list = of("10.1.2.3");

        assertThat(list.allows("10.1.2.3")).isTrue();
        assertThat(list.allows("10.1.2.4")).isFalse();
        assertThat(list.allows("10.1.2.2")).isFalse();
    }

    @Test
    void singleIpv6AddressMatchesItselfInAnySpelling() {
        IpAllowList list = of("2001:db8::1");

        assertThat(list.allows("2001:DB8:0:0:0:0:0:1")).isTrue();
        assertThat(list.allows("2001:0db8::0001")).isTrue();
        assertThat(list.allows("[2001:db8::1]")).isTrue();
        assertThat(list.allows("2001:db8::2")).isFalse();
    }

    @Test
    void ipv4CidrWithAnOddPrefixCoversExactlyItsBlock() {
        IpAllowList list = of("192.168.1.32/27");

        assertThat(list.allows("192.168.1.32")).isTrue();
        assertThat(list.allows("192.168.1.47")).isTrue();
        assertThat(list.allows("192.168.1.63")).isTrue();
        assertThat(list.allows("192.168.1.31")).isFalse();
        assertThat(list.allows("192.168.1.64")).isFalse();
    }

    @Test
    void cidrWithHostBitsSetCoversTheWholeBlock() {
        IpAllowList list = of("10.20.30.40/16");

        assertThat(list.allows("10.20.0.1")).isTrue();
        assertThat(list.allows("10.20.255.255")).isTrue();
        assertThat(list.allows("10.21.0.0")).isFalse();
    }

    @Test
    void slash32AndSlash128AreSingleAddresses() {
        IpAllowList list = of("10.0.0.7/32", "fd00::7/128");

        assertThat(list.allows("10.0.0.7")).isTrue();
        assertThat(list.allows("10.0.0.6")).isFalse();
        assertThat(list.allows("fd00::7")).isTrue();
        assertThat(list.allows("fd00::6")).isFalse();
    }

    @Test
    void slash0CoversEveryAddressOfItsFamilyOnly() {
        IpAllowList ipv4 = of("0.0.0.0/0");
        IpAllowList ipv6 = of("::/0");

        assertThat(ipv4.allows("1.2.3.4")).isTrue();
        assertThat(ipv4.allows("255.255.255.255")).isTrue();
        assertThat(ipv4.allows("2001:db8::1")).isFalse();
        assertThat(ipv6.allows("2001:db8::1")).isTrue();
        assertThat(ipv6.allows("::1")).isTrue();
        assertThat(ipv6.allows("1.2.3.4")).isFalse();
    }

    @Test
    void ipv6CidrWithAnOddPrefixCoversExactlyItsBlock() {
        IpAllowList list = of("2001:db8:abcd:0010::/61");

        assertThat(list.allows("2001:db8:abcd:10::1")).isTrue();
        assertThat(list.allows("2001:db8:abcd:17:ffff:ffff:ffff:ffff")).isTrue();
        assertThat(list.allows("2001:db8:abcd:18::")).isFalse();
        assertThat(list.allows("2001:db8:abcd:f::ffff")).isFalse();
    }

    @Test
    void ipv4MappedIpv6AddressesMatchIpv4RangesAndTheOtherWayRound() {
        IpAllowList ipv4Range = of("10.0.0.0/8");
        IpAllowList mappedRange = of("::ffff:10.0.0.0/104");
        IpAllowList mappedSingle = of("::ffff:192.0.2.1");

        assertThat(ipv4Range.allows("::ffff:10.1.1.1")).isTrue();
        assertThat(ipv4Range.allows("::ffff:11.1.1.1")).isFalse();
        assertThat(mappedRange.allows("10.200.0.1")).isTrue();
        assertThat(mappedRange.allows("11.0.0.1")).isFalse();
        assertThat(mappedSingle.allows("192.0.2.1")).isTrue();
    }

    @Test
    void commaSeparatedEntriesInOneValueAreEachRead() {
        IpAllowList list = of("10.0.0.1, 10.0.0.2 ,2001:db8::/32", "192.0.2.0/24");

        assertThat(list.allows("10.0.0.1")).isTrue();
        assertThat(list.allows("10.0.0.2")).isTrue();
        assertThat(list.allows("2001:db8:ffff::1")).isTrue();
        assertThat(list.allows("192.0.2.200")).isTrue();
        assertThat(list.allows("10.0.0.3")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.256", "10.0.0", "1.2.3.4.5", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/",
            "10.0.0.0/8/8", "10.0.0.0/x", "::ffff:10.0.0.0/95", "2001:db8::g", "1:2", "abc", "example.com", "localhost",
            ".:1", "*"})
    void invalidEntryIsRejectedNamingThePropertyAndTheEntry(String entry) {
        assertThatThrownBy(() -> of("10.0.0.1", entry))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(PROPERTY + " holds '" + entry + "', which is not an IP address or CIDR range");
    }

    @Test
    void addressThatIsNotALiteralMatchesNothing() {
        IpAllowList list = of("127.0.0.0/8", "::/0");

        assertThat(list.contains("localhost")).isFalse();
        assertThat(list.allows("localhost")).isFalse();
        assertThat(list.allows("unknown")).isFalse();
        assertThat(list.allows("")).isFalse();
        assertThat(list.allows(null)).isFalse();
    }

    /**
     * Host names, and strings that merely look like IPv6, are never sent to the resolver: in a JVM whose
     * hosts file resolves each of them, they still parse to nothing. A lookup would make a request's
     * X-Forwarded-For content trigger DNS queries, and configuration depend on DNS.
     */
    @Test
    void hostNamesAreRejectedWithoutAnyNameLookup(@TempDir Path dir) throws IOException, InterruptedException {
        List<String> names = List.of("localhost", "example.com", ".:1", "..:", ".a:b", "deploy-proxy");
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "10.66.0.1 " + String.join(" ", names) + "\n", StandardCharsets.UTF_8);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "-Djdk.net.hosts.file=" + hosts,
                "-cp", System.getProperty("java.class.path"), LookupProbe.class.getName()));
        command.addAll(names);

        Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(probe.exitValue()).as(output).isZero();
        // The probe's own check that the hosts file is in effect, so an empty result means "not looked up".
        assertThat(output).as(output).contains("resolver sees localhost as localhost/10.66.0.1");
        for (String name : names) {
            assertThat(output).as(output).contains(name + " -> none");
        }
    }

    /** Runs in the child JVM: prints what {@link IpAddresses#parse} makes of each argument. */
    static final class LookupProbe {
        public static void main(String[] args) throws IOException {
            System.out.println("resolver sees localhost as " + java.net.InetAddress.getByName("localhost"));
            for (String arg : args) {
                System.out.println(arg + " -> " + IpAddresses.parse(arg).map(IpAllowListTest::dotted).orElse("none"));
            }
        }
    }

    private static String dotted(byte[] address) {
        StringBuilder text = new StringBuilder();
        for (byte b : address) {
            text.append(text.isEmpty() ? "" : ".").append(b & 0xFF);
        }
        return text.toString();
    }
}
