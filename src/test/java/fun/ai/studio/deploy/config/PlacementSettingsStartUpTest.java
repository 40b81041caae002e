package fun.ai.studio.deploy.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy.runtime.placement.*} is checked when the service starts: a strategy or failover mode it does
 * not know, or a number out of range, stops start-up with a report naming the property, as an operator sees it.
 */
@ExtendWith(OutputCaptureExtension.class)
class PlacementSettingsStartUpTest {

    private static final SettingsStartUp PLACEMENT = new SettingsStartUp("deploy.runtime.placement.");

    private static ConfigurableApplicationContext start(String... settings) {
        return PLACEMENT.start(settings);
    }

    /**
     * A value that cannot be converted is reported under the property as configured; a converted value that
     * fails validation is reported under its Java name ({@code diskFreeMinPct}), which Spring Boot prints for
     * constructor-bound records and which relaxed binding accepts as the same property.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "strategy=round-robin            | strategy                  | \"round-robin\" | No enum constant",
            "failover=sometimes              | failover                  | \"sometimes\"   | No enum constant",
            "disk-free-min-pct=lots          | disk-free-min-pct         | \"lots\"        | NumberFormatException",
            "disk-free-min-pct=150           | diskFreeMinPct            | \"150.0\"       | must be less than or equal to 100",
            "disk-free-min-pct=-1            | diskFreeMinPct            | \"-1.0\"        | must be greater than or equal to 0",
            "max-containers-per-node=-1      | maxContainersPerNode      | \"-1\"          | must be greater than or equal to 0",
            "failover-grace-seconds=-5       | failoverGraceSeconds      | \"-5\"          | must be greater than or equal to 0",
            "failover-grace-seconds=86401    | failoverGraceSeconds      | \"86401\"       | must be less than or equal to 86400",
            "failover-max-stale-fraction=1.5 | failoverMaxStaleFraction  | \"1.5\"         | must be less than or equal to 1"})
    void anUnknownNameOrAnOutOfRangeSettingStopsStartUpNamingThePropertyTheValueAndTheReason(
            String setting, String reportedName, String value, String reason, CapturedOutput output) {
        String report = PLACEMENT.refusedNaming(output, setting, reportedName);

        assertThat(report).contains("Value: " + value).contains(reason);
    }

    @Test
    void everyStrategyNameAndTheDocumentedLimitsStartTheServiceAndAnEmptyStrategyMeansTheDefault(CapturedOutput output) {
        for (String strategy : List.of("hash", "weighted-rendezvous", "least-loaded", "disk-aware")) {
            try (ConfigurableApplicationContext context = start("strategy=" + strategy, "failover=auto",
                    "disk-free-min-pct=100", "max-containers-per-node=0", "failover-grace-seconds=86400",
                    "failover-max-stale-fraction=1")) {
                RuntimeProperties.PlacementSettings placement = context.getBean(RuntimeProperties.class).placement();
                assertThat(placement.strategy().name().toLowerCase().replace('_', '-')).isEqualTo(strategy);
                assertThat(placement.failover()).isEqualTo(RuntimeProperties.FailoverMode.AUTO);
                assertThat(placement.failoverGraceSeconds()).isEqualTo(86400);
            }
        }
        try (ConfigurableApplicationContext context = start("strategy=")) {
            // An empty value is no value: the default applies.
            assertThat(context.getBean(RuntimeProperties.class).placement().strategy())
                    .isEqualTo(RuntimeProperties.PlacementStrategyName.HASH);
        }
        assertThat(output.getAll()).doesNotContain("APPLICATION FAILED TO START");
    }
}
