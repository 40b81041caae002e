-- The condition of each node as last recorded in the change log (HEALTHY or not, fitting the disk-aware thresholds
-- or not), so that whichever instance leads next records only the flips after it. Written by compare-and-set.
CREATE TABLE fun_ai_deploy_node_condition (
    node_id bigint  NOT NULL,
    healthy tinyint NOT NULL,
    fits    tinyint NOT NULL,
    at_ms   bigint  NOT NULL,
    PRIMARY KEY (node_id)
) ENGINE=InnoDB;
