-- A node key acts only for the node it registered (spec §8): the key a node is bound to. A key is bound to
-- at most one node (the unique index), and a node to one key at a time. NULL: a node registered before
-- bindings existed, or by an operator key; the first compute_node key of its account that uses it binds it.
ALTER TABLE nodes ADD COLUMN api_key_uuid uuid REFERENCES api_keys (uuid);
CREATE UNIQUE INDEX nodes_api_key_idx ON nodes (api_key_uuid) WHERE api_key_uuid IS NOT NULL;

-- The node that added a model to the registry (NULL for seeded models): a node may add only a few
-- (GALLEY_MAX_NEW_GPU_MODELS_PER_NODE), so one node cannot flood the registry every tenant reads.
ALTER TABLE gpu_models ADD COLUMN added_by_node_uuid uuid;
CREATE INDEX gpu_models_added_by_node_idx ON gpu_models (added_by_node_uuid) WHERE added_by_node_uuid IS NOT NULL;
