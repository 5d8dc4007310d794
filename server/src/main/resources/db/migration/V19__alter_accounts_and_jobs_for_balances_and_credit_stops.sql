-- An account's balance is a projection of its ledger: updated in the transaction that appends each ledger row, under
-- the account's row lock, so that it always equals the sum of the account's ledger amounts.
ALTER TABLE accounts ADD COLUMN balance numeric(38,6) NOT NULL DEFAULT 0;
-- Exempt accounts are metered and charged but never refused or stopped for credit (GALLEY_BILLING=enforce): the
-- operator account of GALLEY_BOOTSTRAP_KEY, which the server marks at every start.
ALTER TABLE accounts ADD COLUMN billing_exempt boolean NOT NULL DEFAULT false;
UPDATE accounts SET billing_exempt = true WHERE name = 'operator';

-- Why a job was cancelled when the platform, not its owner, cancelled it (INSUFFICIENT_CREDIT): the job keeps that
-- code through CANCELLING and CANCELLED instead of CANCELLED_BY_USER.
ALTER TABLE jobs ADD COLUMN cancel_reason_code text;
