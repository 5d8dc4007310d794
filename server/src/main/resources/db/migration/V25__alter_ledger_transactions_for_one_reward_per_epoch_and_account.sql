-- Compute epoch rewards in the ledger (spec §10): a REWARD transaction names the epoch it pays for, is positive, and
-- there is at most one per epoch and provider account, whatever the code does (the finalizer also writes it under
-- the epoch's row lock, with the payout row's own unique key).
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_reward_names_its_epoch CHECK ((type = 'REWARD') = (epoch_uuid IS NOT NULL));
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_reward_is_positive CHECK (type <> 'REWARD' OR amount > 0);
CREATE UNIQUE INDEX ledger_one_reward_per_epoch_and_account_idx ON ledger_transactions (epoch_uuid, account_uuid)
    WHERE type = 'REWARD';
