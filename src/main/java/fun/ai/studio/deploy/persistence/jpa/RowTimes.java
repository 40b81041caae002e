package fun.ai.studio.deploy.persistence.jpa;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.LocalDateTime;

/**
 * The {@code create_time} and {@code update_time} columns every table of the contract has, written by the
 * native statements in UTC and mapped here only so Hibernate validates them.
 */
@MappedSuperclass
abstract class RowTimes {

    @JdbcTypeCode(SqlTypes.LOCAL_DATE_TIME)
    @Column(name = "create_time", nullable = false)
    private LocalDateTime createTime;

    @JdbcTypeCode(SqlTypes.LOCAL_DATE_TIME)
    @Column(name = "update_time", nullable = false)
    private LocalDateTime updateTime;
}
