package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.shared.Leadership;
import lombok.extern.slf4j.Slf4j;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.UUID;

/**
 * Elects one leader among the instances sharing the database: Spring Integration's leader initiator over its
 * JDBC lock registry, a lease row in {@code fun_ai_deploy_LOCK} that the leader renews. An instance that stops
 * renewing (killed, or cut off from the database) loses the lease once it expires, and another takes it.
 */
@Slf4j
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "deploy.runtime.persistence.enabled", havingValue = "true")
class DatabaseLeadership {

    /** How long a lease lasts without renewal: another instance takes over at most about two of these later. */
    static final Duration LEASE = Duration.ofSeconds(10);
    static final String TABLE_PREFIX = "fun_ai_deploy_";
    static final String ROLE = "reconciler";

    @Bean
    DefaultLockRepository leaderLocks(DataSource dataSource, PlatformTransactionManager transactions) {
        DefaultLockRepository locks = new DefaultLockRepository(dataSource, UUID.randomUUID().toString());
        locks.setPrefix(TABLE_PREFIX);
        locks.setRegion("fun-ai-studio-deploy");
        locks.setTimeToLive((int) LEASE.toMillis());
        locks.setTransactionManager(transactions);
        return locks;
    }

    @Bean
    LockRegistryLeaderInitiator leaderInitiator(DefaultLockRepository leaderLocks) {
        JdbcLockRegistry registry = new JdbcLockRegistry(leaderLocks, LEASE);
        LockRegistryLeaderInitiator initiator = new LockRegistryLeaderInitiator(registry,
                new DefaultCandidate(UUID.randomUUID().toString(), ROLE) {
                    @Override
                    public void onGranted(org.springframework.integration.leader.Context context) {
                        log.info("this instance leads: it runs the failover reconciler, records node health and fit"
                                + " flips and trims the change log");
                    }

                    @Override
                    public void onRevoked(org.springframework.integration.leader.Context context) {
                        log.info("this instance no longer leads");
                    }
                });
        // Renewed three times a lease, so one slow renewal does not cost the lease.
        initiator.setHeartBeatMillis(LEASE.toMillis() / 3);
        initiator.setBusyWaitMillis(LEASE.toMillis() / 10);
        return initiator;
    }

    @Bean
    Leadership instanceLeadership(LockRegistryLeaderInitiator leaderInitiator) {
        return () -> leaderInitiator.getContext().isLeader();
    }
}
