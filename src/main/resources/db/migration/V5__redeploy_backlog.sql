-- The redeploy backlog: apps whose placement moved and that the Runner has not yet reported SUCCEEDED on the node
-- they moved to. Written by the move's transaction, removed by that report; paged in app_id order.
CREATE TABLE fun_ai_deploy_redeploy (
    app_id       varchar(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    from_node_id bigint       NOT NULL,
    to_node_id   bigint       NOT NULL,
    moved_at_ms  bigint       NOT NULL,
    reason       varchar(32)  NOT NULL,
    PRIMARY KEY (app_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
