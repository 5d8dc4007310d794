-- Provider rewards (spec §10, docs/providers.md): what an hour of work on each GPU model is worth, relative to an
-- RTX 4090 (1.00). A node's execution reward is 10 x its best GPU's multiplier x worked hours / 168.
--
-- Where the numbers come from:
--  * Dispersed publishes six: RTX 5090 1.81, RTX 4090 1.00, RTX 4080 0.90, RTX 3090 0.85, RTX 3080 0.75,
--    RTX 3060 0.50. Those are used as they are.
--  * Every other seeded model gets the estimate of dev.galley.core.providers.RewardMultipliers, from Dispersed's
--    weights (GPU cores 36 %, VRAM 26 %, network 15 %, GPU clock 8 %, memory bandwidth 8 %, CPU 4 %): CUDA cores
--    and VRAM relative to the RTX 4090 (16,384 cores, 24 GB), network and CPU (properties of the node, not of the
--    GPU model) at the baseline, clock and bandwidth left out, divided by the weights used (0.81):
--        m = (0.36 x cores / 16384 + 0.26 x vram_gb / 24 + 0.19) / 0.81, rounded half-even to 2 decimals.
--    VRAM is the registry's vram_gb; CUDA cores (per GPU, from NVIDIA's spec sheets) are listed below but not
--    stored. GpuRewardMultiplierSeedTest recomputes every estimate from them.
--  * Models nodes add later have none (NULL): a node whose GPUs have none earns the CPU-only multiplier (0.23),
--    so a GPU name a node makes up earns nothing extra. An operator may rate such a model:
--        UPDATE gpu_models SET reward_multiplier = 0.80 WHERE name = '...';
--  * Rows are matched by name, so a model an operator had added by hand under a seeded name is rated too; a
--    multiplier already set is left alone.
ALTER TABLE gpu_models ADD COLUMN reward_multiplier numeric(6,2) CHECK (reward_multiplier >= 0);

UPDATE gpu_models g SET reward_multiplier = v.reward_multiplier
FROM (VALUES
    ('NVIDIA B200', 18944, 3.16),                                              -- NVIDIA publishes no core count: 148 SMs x 128, as reported for the B200
    ('NVIDIA B100', 18944, 3.32),                                              -- NVIDIA publishes no core count: 148 SMs x 128, as reported for the B200
    ('NVIDIA GB200', 18944, 3.24),                                             -- NVIDIA publishes no core count: 148 SMs x 128, as reported for the B200
    ('NVIDIA H200', 16896, 2.58),
    ('NVIDIA H100 80GB HBM3', 16896, 1.76),
    ('NVIDIA H100 PCIe', 14592, 1.70),
    ('NVIDIA H100 NVL', 16896, 1.95),
    ('NVIDIA H800', 16896, 1.76),
    ('NVIDIA A100-SXM4-80GB', 6912, 1.49),
    ('NVIDIA A100 80GB PCIe', 6912, 1.49),
    ('NVIDIA A100-SXM4-40GB', 6912, 0.96),
    ('NVIDIA A100-PCIE-40GB', 6912, 0.96),
    ('NVIDIA A800-SXM4-80GB', 6912, 1.49),
    ('NVIDIA L40S', 18176, 1.37),
    ('NVIDIA L40', 18176, 1.37),
    ('NVIDIA L4', 7424, 0.76),
    ('NVIDIA A40', 10752, 1.17),
    ('NVIDIA A30', 3584, 0.65),
    ('NVIDIA A10', 9216, 0.81),
    ('NVIDIA A10G', 10240, 0.83),                                              -- cores as reported for AWS's A10G (80 SMs)
    ('NVIDIA A16', 1280, 0.48),
    ('NVIDIA A2', 1280, 0.48),
    ('Tesla T4', 2560, 0.52),
    ('Tesla V100-SXM2-32GB', 5120, 0.80),
    ('Tesla V100-SXM2-16GB', 5120, 0.59),
    ('NVIDIA RTX PRO 6000 Blackwell Workstation Edition', 24064, 2.17),
    ('NVIDIA RTX 6000 Ada Generation', 18176, 1.37),
    ('NVIDIA RTX A6000', 10752, 1.17),
    ('NVIDIA RTX A5000', 8192, 0.78),
    ('NVIDIA RTX A4000', 6144, 0.62),
    ('NVIDIA GeForce RTX 5090', 21760, 1.81),                                  -- published by Dispersed; the estimate would be 1.25
    ('NVIDIA GeForce RTX 5080', 10752, 0.74),
    ('NVIDIA GeForce RTX 5070 Ti', 8960, 0.69),
    ('NVIDIA GeForce RTX 5070', 6144, 0.56),
    ('NVIDIA GeForce RTX 4090', 16384, 1.00),                                  -- published by Dispersed; the estimate would be 1.00
    ('NVIDIA GeForce RTX 4080 SUPER', 10240, 0.73),
    ('NVIDIA GeForce RTX 4080', 9728, 0.90),                                   -- published by Dispersed; the estimate would be 0.71
    ('NVIDIA GeForce RTX 4070 Ti SUPER', 8448, 0.68),
    ('NVIDIA GeForce RTX 4070 Ti', 7680, 0.60),
    ('NVIDIA GeForce RTX 4070 SUPER', 7168, 0.59),
    ('NVIDIA GeForce RTX 4070', 5888, 0.55),
    ('NVIDIA GeForce RTX 4060 Ti', 4352, 0.46),
    ('NVIDIA GeForce RTX 4060 Ti 16GB', 4352, 0.57),
    ('NVIDIA GeForce RTX 4060', 3072, 0.42),
    ('NVIDIA GeForce RTX 3090 Ti', 10752, 0.85),
    ('NVIDIA GeForce RTX 3090', 10496, 0.85),                                  -- published by Dispersed; the estimate would be 0.84
    ('NVIDIA GeForce RTX 3080 Ti', 10240, 0.67),
    ('NVIDIA GeForce RTX 3080', 8704, 0.75),                                   -- published by Dispersed; the estimate would be 0.60
    ('NVIDIA GeForce RTX 3070 Ti', 6144, 0.51),
    ('NVIDIA GeForce RTX 3070', 5888, 0.50),
    ('NVIDIA GeForce RTX 3060 Ti', 4864, 0.47),
    ('NVIDIA GeForce RTX 3060', 3584, 0.50)                                    -- published by Dispersed; the estimate would be 0.49
) AS v(name, cuda_cores, reward_multiplier)
WHERE g.name = v.name AND g.reward_multiplier IS NULL;
