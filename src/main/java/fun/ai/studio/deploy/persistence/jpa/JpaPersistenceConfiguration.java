package fun.ai.studio.deploy.persistence.jpa;

import fun.ai.studio.deploy.apprun.AppRunRepository;
import fun.ai.studio.deploy.audit.AuditRepository;
import fun.ai.studio.deploy.config.RuntimeProperties;
import fun.ai.studio.deploy.node.RuntimeNodeRepository;
import fun.ai.studio.deploy.placement.NodeFit;
import fun.ai.studio.deploy.placement.PlacementRepository;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.transaction.PlatformTransactionManager;

import java.time.Clock;

/**
 * With {@code deploy.runtime.persistence.enabled=true}: state lives in the configured MySQL/MariaDB database
 * (schema by Flyway, validated by Hibernate), shared by every instance that points at it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "deploy.runtime.persistence.enabled", havingValue = "true")
@EnableJpaRepositories(basePackageClasses = JpaPersistenceConfiguration.class)
@EntityScan(basePackageClasses = JpaPersistenceConfiguration.class)
@EnableConfigurationProperties(RuntimeProperties.class)
public class JpaPersistenceConfiguration {

    /** Wraps Boot's Hikari pool so a request can reconnect on its own while the pool backs off after an outage. */
    @Bean
    static BeanPostProcessor reconnectingDataSource() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof HikariDataSource pool ? new ReconnectingDataSource(pool) : bean;
            }
        };
    }

    @Bean
    WriteTransactions writeTransactions(PlatformTransactionManager transactionManager) {
        return new WriteTransactions(transactionManager);
    }

    @Bean
    RuntimeNodeRepository runtimeNodeRepository(RuntimeNodeEntityRepository rows, WriteTransactions transactions,
                                                JdbcOperations jdbc, RuntimeProperties runtime) {
        JpaRuntimeNodeRepository store = new JpaRuntimeNodeRepository(rows, transactions);
        long flushMillis = runtime.persistence().heartbeatFlushMillis();
        return flushMillis == 0 ? store : new CoalescingRuntimeNodeRepository(store,
                new HeartbeatWriter(jdbc, transactions), NodeFit.of(runtime.placement()), flushMillis);
    }

    @Bean
    PlacementRepository placementRepository(PlacementEntityRepository rows, WriteTransactions transactions) {
        return new JpaPlacementRepository(rows, transactions);
    }

    @Bean
    AuditRepository auditRepository(AdminAuditEntityRepository rows) {
        return new JpaAuditRepository(rows);
    }

    @Bean
    AppRunRepository appRunRepository(AppRunEntityRepository rows, WriteTransactions transactions, Clock clock) {
        return new JpaAppRunRepository(rows, transactions, clock);
    }
}
