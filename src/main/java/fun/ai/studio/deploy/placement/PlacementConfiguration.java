package fun.ai.studio.deploy.placement;

import fun.ai.studio.deploy.config.RegistryProperties;
import fun.ai.studio.deploy.config.RuntimeProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/** Builds the strategy named by {@code deploy.runtime.placement.strategy} and the failover policy. */
@Configuration(proxyBeanMethods = false)
class PlacementConfiguration {

    @Bean
    FailoverPolicy failoverPolicy(RuntimeProperties runtime, RegistryProperties registry, Clock clock) {
        return new FailoverPolicy(runtime, registry, clock);
    }

    @Bean
    PlacementStrategy placementStrategy(RuntimeProperties runtime) {
        RuntimeProperties.PlacementSettings placement = runtime.placement();
        return switch (placement.strategy()) {
            case HASH -> new HashPlacementStrategy();
            case WEIGHTED_RENDEZVOUS -> new WeightedRendezvousStrategy();
            case LEAST_LOADED -> new LeastLoadedStrategy();
            case DISK_AWARE -> new DiskAwareStrategy(NodeFit.of(placement));
        };
    }
}
