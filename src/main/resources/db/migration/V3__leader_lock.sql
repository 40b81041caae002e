-- The lease that elects one instance of those sharing this database to run fleet-wide background work (the
-- failover reconciler). Spring Integration's JdbcLockRegistry reads and writes it, under the table prefix
-- fun_ai_deploy_; its columns are the ones that library expects.
CREATE TABLE fun_ai_deploy_LOCK (
    LOCK_KEY      CHAR(36)     NOT NULL,
    REGION        VARCHAR(100) NOT NULL,
    CLIENT_ID     CHAR(36),
    CREATED_DATE  DATETIME(6)  NOT NULL,
    EXPIRED_AFTER DATETIME(6)  NOT NULL,
    CONSTRAINT fun_ai_deploy_lock_pk PRIMARY KEY (LOCK_KEY, REGION)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
