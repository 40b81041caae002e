package fun.ai.studio.deploy.persistence.jpa;

import com.zaxxer.hikari.HikariDataSource;
import fun.ai.studio.deploy.apprun.AppRunRepository;
import fun.ai.studio.deploy.audit.AuditRepository;
import fun.ai.studio.deploy.config.RuntimeProperties;
import fun.ai.studio.deploy.node.RuntimeNodeRepository;
import fun.ai.studio.deploy.placement.NodeConditionRepository;
import fun.ai.studio.deploy.placement.NodeFit;
import fun.ai.studio.deploy.placement.PlacementRepository;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.DefaultTransactionStatus;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import javax.sql.DataSource;

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

    /**
     * Bounds every call (docs/operations.md, "The database is unreachable"): the driver's connect and socket
     * timeouts and the pool's wait come from {@code deploy.runtime.persistence}, statements that lose their
     * connection open the {@link DatabaseBreaker}, and the pool is wrapped so a call can reconnect on its own
     * while the pool backs off after an outage.
     */
    @Bean
    static BeanPostProcessor boundedDataSource(ObjectProvider<RuntimeProperties> runtime,
                                               ObjectProvider<MeterRegistry> meters, ObjectProvider<Clock> clock) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
                // Boot's Hikari pool, perhaps decorated already (a wrapper that delegates to it).
                if (!(bean instanceof DataSource dataSource) || !isWrapperFor(dataSource, HikariDataSource.class)) {
                    return bean;
                }
                try {
                    HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
                    RuntimeProperties.Persistence settings = runtime.getObject().persistence();
                    DatabaseTimeouts.apply(settings, pool);
                    ReconnectingDataSource guarded = new ReconnectingDataSource(dataSource, pool,
                            DatabaseTimeouts.answerSeconds(settings), settings.probeInterval(), clock.getObject(),
                            meters.getObject());
                    pool.setExceptionOverride(new ConnectionLossOverride(guarded.breaker()));
                    return guarded;
                } catch (SQLException e) {
                    throw new BeanInitializationException("cannot reach the Hikari pool of " + beanName, e);
                }
            }
        };
    }

    private static boolean isWrapperFor(DataSource dataSource, Class<?> type) {
        try {
            return dataSource.isWrapperFor(type);
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Boot's JPA transaction manager, except that a transaction begun while the breaker is open is refused before
     * Hibernate opens a session, that a rollback on a connection lost with the database is not reported over the
     * loss itself, and that a transaction's statements stop after {@code query-timeout} (the database is asked to
     * cancel them).
     */
    @Bean
    JpaTransactionManager transactionManager(DatabaseBreaker breaker, RuntimeProperties runtime) {
        JpaTransactionManager manager = new JpaTransactionManager() {
            @Override
            protected void doBegin(Object transaction, TransactionDefinition definition) {
                try {
                    breaker.checkClosed();
                } catch (SQLTransientConnectionException refused) {
                    throw new CannotCreateTransactionException(refused.getMessage(), refused);
                }
                super.doBegin(transaction, definition);
            }

            @Override
            protected void doRollback(DefaultTransactionStatus status) {
                try {
                    super.doRollback(status);
                } catch (RuntimeException e) {
                    if (!breaker.isOpen()) {
                        throw e;
                    }
                    // The connection is gone, and the database discards what it had not committed; what made the
                    // transaction roll back (the lost connection, answered 503) is what the caller must hear.
                }
            }
        };
        manager.setDefaultTimeout(DatabaseTimeouts.querySeconds(runtime.persistence()));
        return manager;
    }

    /** The breaker as a bean of its own, so its probe stops with the context whatever closes the pool. */
    @Bean
    DatabaseBreaker databaseBreaker(DataSource dataSource) throws SQLException {
        return dataSource.unwrap(ReconnectingDataSource.class).breaker();
    }

    /**
     * Readiness from the breaker's state: answered from memory, never by waiting on a dead connection. Named
     * {@code db}, it takes the place of Boot's indicator, which would query the database.
     */
    @Bean
    DatabaseHealthIndicator dbHealthIndicator(DatabaseBreaker breaker) {
        return new DatabaseHealthIndicator(breaker);
    }

    @Bean
    WriteTransactions writeTransactions(PlatformTransactionManager transactionManager) {
        return new WriteTransactions(transactionManager);
    }

    @Bean
    RuntimeNodeRepository runtimeNodeRepository(RuntimeNodeEntityRepository rows, WriteTransactions transactions,
                                                JpaChangeLog changes, JdbcOperations jdbc, RuntimeProperties runtime,
                                                DatabaseBreaker breaker) {
        JpaRuntimeNodeRepository store = new JpaRuntimeNodeRepository(rows, transactions, changes);
        long flushMillis = runtime.persistence().heartbeatFlushMillis();
        return flushMillis == 0 ? store : new CoalescingRuntimeNodeRepository(store,
                new HeartbeatWriter(jdbc, transactions), NodeFit.of(runtime.placement()), breaker::isOpen, flushMillis);
    }

    @Bean
    PlacementRepository placementRepository(PlacementEntityRepository rows, WriteTransactions transactions,
                                            JpaChangeLog changes, JdbcOperations jdbc) {
        return new JpaPlacementRepository(rows, transactions, changes, new RedeployBacklogTable(jdbc));
    }

    @Bean
    AuditRepository auditRepository(AdminAuditEntityRepository rows) {
        return new JpaAuditRepository(rows);
    }

    @Bean
    AppRunRepository appRunRepository(AppRunEntityRepository rows, WriteTransactions transactions, Clock clock,
                                      JpaChangeLog changes) {
        return new JpaAppRunRepository(rows, transactions, clock, changes);
    }

    @Bean
    NodeConditionRepository nodeConditionRepository(JdbcOperations jdbc, WriteTransactions transactions,
                                                    JpaChangeLog changes) {
        return new JpaNodeConditionRepository(jdbc, transactions, changes);
    }

    @Bean
    JpaChangeLog changeLog(JdbcOperations jdbc) {
        return new JpaChangeLog(jdbc);
    }
}
