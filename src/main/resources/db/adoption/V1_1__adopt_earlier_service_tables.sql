-- Takes over the earlier deploy service's three tables in place (docs/upgrade.md), on MySQL/MariaDB. Flyway runs it
-- once, on a baseline at version 1 that stands for those tables, and only after the read-only pre-check
-- (EarlierServicePreCheck) found that every row fits. Node ids are kept, and new ones continue above the highest;
-- local times become UTC; the columns take the shape V1 gives a new install, except last_job_status, which keeps
-- its 32 characters. fun_ai_deploy_job and every other table are left alone.
--
-- The placeholders ending in _utc are SQL expressions that SchemaMigration works out from
-- deploy.runtime.persistence.legacy-time-zone for the range of times present (named zones in CONVERT_TZ need
-- time-zone tables many servers do not load); takeover_time_utc is the moment of the takeover, for rows that never
-- had a time.

-- Each assignment reads only its own column, so the order within SET does not matter.
UPDATE fun_ai_deploy_runtime_node
   SET last_heartbeat_at = ${last_heartbeat_at_utc}, create_time = ${create_time_utc}, update_time = ${update_time_utc};
UPDATE fun_ai_deploy_runtime_placement SET create_time = ${create_time_utc}, update_time = ${update_time_utc};
UPDATE fun_ai_deploy_app_run SET create_time = ${create_time_utc}, update_time = ${update_time_utc};

UPDATE fun_ai_deploy_runtime_node SET create_time = COALESCE(update_time, ${takeover_time_utc}) WHERE create_time IS NULL;
UPDATE fun_ai_deploy_runtime_node SET update_time = create_time WHERE update_time IS NULL;
UPDATE fun_ai_deploy_runtime_placement SET create_time = COALESCE(update_time, ${takeover_time_utc}) WHERE create_time IS NULL;
UPDATE fun_ai_deploy_runtime_placement SET update_time = create_time WHERE update_time IS NULL;
UPDATE fun_ai_deploy_app_run SET create_time = COALESCE(update_time, ${takeover_time_utc}) WHERE create_time IS NULL;
UPDATE fun_ai_deploy_app_run SET update_time = create_time WHERE update_time IS NULL;

-- One ALTER per table, so each large table is copied once. AUTO_INCREMENT starts above the highest id kept.
ALTER TABLE fun_ai_deploy_runtime_node
    MODIFY id                bigint      NOT NULL AUTO_INCREMENT,
    MODIFY name              varchar(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    MODIFY enabled           tinyint     NOT NULL,
    MODIFY last_heartbeat_at datetime(3) NULL,
    MODIFY create_time       datetime(3) NOT NULL,
    MODIFY update_time       datetime(3) NOT NULL;

ALTER TABLE fun_ai_deploy_runtime_placement
    MODIFY app_id      varchar(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    MODIFY create_time datetime(3)  NOT NULL,
    MODIFY update_time datetime(3)  NOT NULL,
    ADD INDEX idx_fun_ai_deploy_runtime_placement_node (node_id, app_id);

ALTER TABLE fun_ai_deploy_app_run
    MODIFY app_id      varchar(128)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    MODIFY last_job_id varchar(128)  NULL,
    MODIFY last_error  varchar(4000) NULL,
    MODIFY create_time datetime(3)   NOT NULL,
    MODIFY update_time datetime(3)   NOT NULL;
