-- One script for MySQL 8 / MariaDB 10.6+ and H2 in MySQL mode (tests), so it sticks to syntax all of them accept.
-- Identifiers (node name, appId) are ASCII by validation; ascii_bin makes uniqueness and ORDER BY byte-wise and
-- case-sensitive ('App1' <> 'app1', 'A' < 'B' < 'a'), matching the in-memory store, and keeps index keys small.
-- Times are written by the application in UTC; no column defaults to CURRENT_TIMESTAMP on purpose.

CREATE TABLE fun_ai_deploy_runtime_node (
    id                bigint       NOT NULL AUTO_INCREMENT,
    name              varchar(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    agent_base_url    varchar(512) NULL,
    gateway_base_url  varchar(512) NULL,
    enabled           tinyint      NOT NULL,
    weight            int          NOT NULL,
    last_heartbeat_at datetime(3)  NULL,
    disk_free_pct     double       NULL,
    disk_free_bytes   bigint       NULL,
    container_count   int          NULL,
    create_time       datetime(3)  NOT NULL,
    update_time       datetime(3)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uk_fun_ai_deploy_runtime_node_name UNIQUE (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE fun_ai_deploy_runtime_placement (
    app_id         varchar(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    node_id        bigint       NOT NULL,
    last_active_at bigint       NOT NULL,
    create_time    datetime(3)  NOT NULL,
    update_time    datetime(3)  NOT NULL,
    PRIMARY KEY (app_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Serves a node's placements in appId order (paging, drain) and the per-node counts.
CREATE INDEX idx_fun_ai_deploy_runtime_placement_node ON fun_ai_deploy_runtime_placement (node_id, app_id);

CREATE TABLE fun_ai_deploy_app_run (
    app_id           varchar(128)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    node_id          bigint        NULL,
    last_job_id      varchar(128)  NULL,
    last_job_status  varchar(16)   NULL,
    last_error       varchar(4000) NULL,
    last_deployed_at bigint        NULL,
    last_active_at   bigint        NULL,
    create_time      datetime(3)   NOT NULL,
    update_time      datetime(3)   NOT NULL,
    PRIMARY KEY (app_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
