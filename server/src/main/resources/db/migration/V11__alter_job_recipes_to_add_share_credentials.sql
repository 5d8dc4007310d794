-- Spec §8: a recipe's stored registry credentials travel only with jobs of the recipe's own account, unless the
-- owner opts in per recipe. Default false: existing PUBLIC recipes stop handing their credentials to other accounts.
ALTER TABLE job_recipes ADD COLUMN share_credentials boolean NOT NULL DEFAULT false;
