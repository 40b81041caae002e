-- The change log: one row per committed change, numbered in commit order by the sequencer row below, which
-- each writing transaction locks last and holds until it commits.
CREATE TABLE fun_ai_deploy_change (
    revision     bigint       NOT NULL,
    at_ms        bigint       NOT NULL,
    kind         varchar(32)  NOT NULL,
    node_id      bigint,
    app_id       varchar(128) CHARACTER SET ascii COLLATE ascii_bin,
    from_node_id bigint,
    to_node_id   bigint,
    reason       varchar(32),
    PRIMARY KEY (revision)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Serves trimming by age.
CREATE INDEX idx_fun_ai_deploy_change_at ON fun_ai_deploy_change (at_ms);

CREATE TABLE fun_ai_deploy_change_seq (
    id       int    NOT NULL,
    revision bigint NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB;

INSERT INTO fun_ai_deploy_change_seq (id, revision) VALUES (1, 0);
