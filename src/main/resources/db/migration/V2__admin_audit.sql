-- The admin audit trail: one row per admin mutation, read newest first by id.
CREATE TABLE fun_ai_deploy_admin_audit (
    id             BIGINT        NOT NULL AUTO_INCREMENT,
    at_ms          BIGINT        NOT NULL,
    client_address VARCHAR(64)   NOT NULL,
    action         VARCHAR(32)   NOT NULL,
    request        VARCHAR(2000),
    status         INT           NOT NULL,
    outcome        VARCHAR(2000),
    PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
