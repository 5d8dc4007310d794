-- Compute epochs and rewards (spec §10). One row per epoch (uuid from its bounds, the same on every replica), its
-- status ACTIVE -> FINALIZING -> FINALIZED. Finalizing writes, in one transaction with the epoch's row locked, one
-- reward row per node and one payout per provider account; the unique keys make a second finalization impossible
-- even if two replicas raced past the lock.
CREATE TABLE compute_epochs (
    uuid          uuid PRIMARY KEY,
    starts_at     timestamptz NOT NULL,
    ends_at       timestamptz NOT NULL,
    status        text NOT NULL CHECK (status IN ('ACTIVE', 'FINALIZING', 'FINALIZED')),
    finalized_at  timestamptz,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    CHECK (ends_at > starts_at),
    UNIQUE (starts_at, ends_at)
);
CREATE INDEX compute_epochs_open_idx ON compute_epochs (ends_at) WHERE status <> 'FINALIZED';
CREATE INDEX compute_epochs_created_idx ON compute_epochs (created_at, uuid);

CREATE TABLE node_epoch_rewards (
    uuid                 uuid PRIMARY KEY,
    epoch_uuid           uuid NOT NULL REFERENCES compute_epochs (uuid),
    node_uuid            uuid NOT NULL REFERENCES nodes (uuid),
    account_uuid         uuid NOT NULL,
    assignable_hours     numeric(12,6) NOT NULL,
    worked_hours         numeric(12,6) NOT NULL,
    prep_hours           numeric(12,6) NOT NULL,
    multiplier           numeric(6,2) NOT NULL,
    availability_reward  numeric(20,6) NOT NULL,
    execution_reward     numeric(20,6) NOT NULL,
    preparation_reward   numeric(20,6) NOT NULL,
    total                numeric(20,6) NOT NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    UNIQUE (epoch_uuid, node_uuid)
);
CREATE INDEX node_epoch_rewards_epoch_created_idx ON node_epoch_rewards (epoch_uuid, created_at, uuid);
CREATE INDEX node_epoch_rewards_account_idx ON node_epoch_rewards (epoch_uuid, account_uuid, created_at, uuid);

-- What each provider account was paid for an epoch: exactly one row per (epoch, account), written with the
-- epoch's reward rows. ledger_transaction_uuid is the REWARD transaction in the ledger written with it.
CREATE TABLE epoch_account_payouts (
    epoch_uuid               uuid NOT NULL REFERENCES compute_epochs (uuid),
    account_uuid             uuid NOT NULL,
    amount                   numeric(20,6) NOT NULL CHECK (amount >= 0),
    ledger_transaction_uuid  uuid,
    created_at               timestamptz NOT NULL,
    PRIMARY KEY (epoch_uuid, account_uuid)
);

-- Reputation (spec §10): each node's evidence as of reputation_as_of (ReputationState: good and bad weights,
-- already decayed to that time), carried forward by the reputation loop; reputation is its score then.
ALTER TABLE nodes ALTER COLUMN reputation DROP DEFAULT;
ALTER TABLE nodes ALTER COLUMN reputation TYPE numeric(5,2) USING reputation;
ALTER TABLE nodes ALTER COLUMN reputation SET DEFAULT 50;
ALTER TABLE nodes ADD COLUMN reputation_good double precision NOT NULL DEFAULT 0;
ALTER TABLE nodes ADD COLUMN reputation_bad double precision NOT NULL DEFAULT 0;
ALTER TABLE nodes ADD COLUMN reputation_as_of timestamptz;
