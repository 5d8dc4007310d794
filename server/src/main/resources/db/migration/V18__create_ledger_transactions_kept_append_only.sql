-- The ledger (spec §9): every movement of money, append-only. balance_after is the account's balance once this row
-- is applied; rows of one account are written under that account's row lock, so entry_seq orders them and each
-- balance_after is the previous one plus the amount. Each usage record gives exactly one USAGE_CHARGE and one
-- PROVIDER_EARNING: the unique index refuses a second, whatever the code does.
-- No foreign keys: each would be a lookup and a row lock per ledger row on the closer's path (three writes per
-- usage record); the one writer (Ledger.post) locks and checks the accounts it posts to, accounts and usage records
-- are never deleted, and usage records are written in the same transaction as their charges.
CREATE TABLE ledger_transactions (
    uuid                 uuid PRIMARY KEY,
    entry_seq            bigint GENERATED ALWAYS AS IDENTITY,
    account_uuid         uuid NOT NULL,
    type                 text NOT NULL CHECK (type IN ('CREDIT_GRANT', 'USAGE_CHARGE', 'PROVIDER_EARNING', 'REWARD', 'ADJUSTMENT')),
    amount               numeric(38,6) NOT NULL,
    currency             text NOT NULL,
    balance_after        numeric(38,6) NOT NULL,
    usage_record_uuid    uuid,
    epoch_uuid           uuid,
    description          text,
    created_by_key_uuid  uuid,
    created_at           timestamptz NOT NULL,
    CHECK ((type IN ('USAGE_CHARGE', 'PROVIDER_EARNING')) = (usage_record_uuid IS NOT NULL)),
    CHECK (type <> 'USAGE_CHARGE' OR amount <= 0),
    CHECK (type <> 'PROVIDER_EARNING' OR amount >= 0),
    CHECK (type <> 'CREDIT_GRANT' OR amount > 0),
    CHECK (type <> 'ADJUSTMENT' OR amount <> 0)
);
CREATE UNIQUE INDEX ledger_one_entry_per_usage_record_idx ON ledger_transactions (usage_record_uuid, type)
    WHERE usage_record_uuid IS NOT NULL;
CREATE INDEX ledger_account_created_idx ON ledger_transactions (account_uuid, created_at, uuid);
CREATE INDEX ledger_created_idx ON ledger_transactions (created_at, uuid);

CREATE TRIGGER ledger_transactions_append_only BEFORE UPDATE OR DELETE ON ledger_transactions
    FOR EACH ROW EXECUTE FUNCTION refuse_changes_to_append_only_rows();
CREATE TRIGGER ledger_transactions_append_only_truncate BEFORE TRUNCATE ON ledger_transactions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_changes_to_append_only_rows();
