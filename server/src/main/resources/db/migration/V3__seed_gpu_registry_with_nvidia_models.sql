-- Seeds the GPU registry with current NVIDIA data-centre, workstation and GeForce models.
--
-- Why these shapes:
--  * `name` is the string nvidia-smi reports (`nvidia-smi --query-gpu=name`), because that is what node
--    agents send on registration; matching it exactly means a real node's GPUs land on the seeded entry
--    instead of creating a near-duplicate.
--  * `aliases` are the short forms people type in `gpu_name` ("RTX 4090", "H100", "T4"). Matching is
--    case-insensitive with whitespace collapsed, so no alias may equal another model's name or alias
--    under that normalisation (GpuSeedTest enforces it): a `gpu_name` must resolve to exactly one model.
--  * A bare family name ("A100", "H100", "V100") goes to the SXM variant with the most memory; the other
--    variants answer only to qualified names ("A100 40GB", "H100 PCIe"). Jobs that want any variant of
--    a family should ask by `min_vram_gb` instead of a name.
--  * When nvidia-smi gives two memory variants the same name (RTX 4060 Ti 8 GB / 16 GB), the plain name
--    is the 8 GB card and the 16 GB card carries a "16GB" suffix, since `name` must be unique.
--  * The uuids are fixed so docs, tests and clients can reference them (docs/gpu-registry.md). Layout:
--    6a1e5eed-0000-4000-8000-000000000NNN with NNN 1xx data centre, 2xx workstation, 3xx GeForce.
--  * ON CONFLICT DO NOTHING keeps the migration harmless where an operator already added a model by
--    hand (same uuid or same name); Flyway runs it once anyway.
--  * VRAM is the marketed capacity per GPU in GB (B200 180, GB200 186, H200 141, H100 NVL 94).
INSERT INTO gpu_models (uuid, name, vendor, vram_gb, aliases, is_seeded) VALUES
    ('6a1e5eed-0000-4000-8000-000000000101', 'NVIDIA B200', 'NVIDIA', 180, ARRAY['B200', 'B200 SXM', 'NVIDIA B200 SXM'], true),
    ('6a1e5eed-0000-4000-8000-000000000102', 'NVIDIA B100', 'NVIDIA', 192, ARRAY['B100', 'B100 SXM', 'NVIDIA B100 SXM'], true),
    ('6a1e5eed-0000-4000-8000-000000000103', 'NVIDIA GB200', 'NVIDIA', 186, ARRAY['GB200', 'GB200 GPU'], true),
    ('6a1e5eed-0000-4000-8000-000000000104', 'NVIDIA H200', 'NVIDIA', 141, ARRAY['H200', 'H200 SXM', 'NVIDIA H200 SXM', 'H200 141GB', 'H200 SXM 141GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000105', 'NVIDIA H100 80GB HBM3', 'NVIDIA', 80, ARRAY['H100', 'NVIDIA H100', 'H100 SXM', 'H100 SXM5', 'NVIDIA H100 SXM', 'NVIDIA H100 SXM5', 'H100 80GB', 'H100 SXM 80GB', 'H100 SXM5 80GB', 'NVIDIA H100 SXM5 80GB', 'H100 80GB HBM3'], true),
    ('6a1e5eed-0000-4000-8000-000000000106', 'NVIDIA H100 PCIe', 'NVIDIA', 80, ARRAY['H100 PCIe', 'H100 PCIe 80GB', 'NVIDIA H100 PCIe 80GB', 'H100 80GB PCIe', 'NVIDIA H100 80GB PCIe'], true),
    ('6a1e5eed-0000-4000-8000-000000000107', 'NVIDIA H100 NVL', 'NVIDIA', 94, ARRAY['H100 NVL', 'H100 NVL 94GB', 'NVIDIA H100 NVL 94GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000108', 'NVIDIA H800', 'NVIDIA', 80, ARRAY['H800', 'H800 SXM', 'NVIDIA H800 SXM', 'H800 80GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000109', 'NVIDIA A100-SXM4-80GB', 'NVIDIA', 80, ARRAY['A100', 'NVIDIA A100', 'A100 80GB', 'NVIDIA A100 80GB', 'A100 SXM', 'A100 SXM4', 'A100 SXM 80GB', 'A100 SXM4 80GB', 'A100-SXM4-80GB', 'NVIDIA A100 SXM4 80GB', 'NVIDIA A100-SXM-80GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000110', 'NVIDIA A100 80GB PCIe', 'NVIDIA', 80, ARRAY['A100 PCIe', 'A100 80GB PCIe', 'A100 PCIe 80GB', 'NVIDIA A100 PCIe 80GB', 'NVIDIA A100-PCIE-80GB', 'A100-PCIE-80GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000111', 'NVIDIA A100-SXM4-40GB', 'NVIDIA', 40, ARRAY['A100 40GB', 'NVIDIA A100 40GB', 'A100 SXM4 40GB', 'A100-SXM4-40GB', 'NVIDIA A100 SXM4 40GB', 'A100 SXM 40GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000112', 'NVIDIA A100-PCIE-40GB', 'NVIDIA', 40, ARRAY['A100 PCIe 40GB', 'A100 40GB PCIe', 'A100-PCIE-40GB', 'NVIDIA A100 PCIe 40GB', 'NVIDIA A100 40GB PCIe'], true),
    ('6a1e5eed-0000-4000-8000-000000000113', 'NVIDIA A800-SXM4-80GB', 'NVIDIA', 80, ARRAY['A800', 'NVIDIA A800', 'A800 80GB', 'A800 SXM4 80GB', 'A800-SXM4-80GB', 'NVIDIA A800 80GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000114', 'NVIDIA L40S', 'NVIDIA', 48, ARRAY['L40S', 'L40S 48GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000115', 'NVIDIA L40', 'NVIDIA', 48, ARRAY['L40', 'L40 48GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000116', 'NVIDIA L4', 'NVIDIA', 24, ARRAY['L4', 'L4 24GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000117', 'NVIDIA A40', 'NVIDIA', 48, ARRAY['A40', 'A40 48GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000118', 'NVIDIA A30', 'NVIDIA', 24, ARRAY['A30', 'A30 24GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000119', 'NVIDIA A10', 'NVIDIA', 24, ARRAY['A10', 'A10 24GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000120', 'NVIDIA A10G', 'NVIDIA', 24, ARRAY['A10G', 'A10G 24GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000121', 'NVIDIA A16', 'NVIDIA', 16, ARRAY['A16', 'A16 16GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000122', 'NVIDIA A2', 'NVIDIA', 16, ARRAY['A2', 'A2 16GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000123', 'Tesla T4', 'NVIDIA', 16, ARRAY['T4', 'NVIDIA T4', 'NVIDIA Tesla T4', 'T4 16GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000124', 'Tesla V100-SXM2-32GB', 'NVIDIA', 32, ARRAY['V100', 'NVIDIA V100', 'Tesla V100', 'V100 32GB', 'NVIDIA V100 32GB', 'Tesla V100 32GB', 'V100 SXM2 32GB', 'V100-SXM2-32GB', 'NVIDIA V100 SXM2 32GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000125', 'Tesla V100-SXM2-16GB', 'NVIDIA', 16, ARRAY['V100 16GB', 'NVIDIA V100 16GB', 'Tesla V100 16GB', 'V100 SXM2 16GB', 'V100-SXM2-16GB', 'NVIDIA V100 SXM2 16GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000201', 'NVIDIA RTX PRO 6000 Blackwell Workstation Edition', 'NVIDIA', 96, ARRAY['RTX PRO 6000', 'NVIDIA RTX PRO 6000', 'RTX PRO 6000 Blackwell', 'NVIDIA RTX PRO 6000 Blackwell', 'NVIDIA RTX PRO 6000 Blackwell Server Edition', 'NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition', 'RTX PRO 6000 Blackwell Server Edition', 'RTX PRO 6000 Blackwell Max-Q'], true),
    ('6a1e5eed-0000-4000-8000-000000000202', 'NVIDIA RTX 6000 Ada Generation', 'NVIDIA', 48, ARRAY['RTX 6000 Ada', 'NVIDIA RTX 6000 Ada', 'RTX 6000 Ada Generation', 'RTX 6000 Ada 48GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000203', 'NVIDIA RTX A6000', 'NVIDIA', 48, ARRAY['RTX A6000', 'A6000', 'RTX A6000 48GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000204', 'NVIDIA RTX A5000', 'NVIDIA', 24, ARRAY['RTX A5000', 'A5000'], true),
    ('6a1e5eed-0000-4000-8000-000000000205', 'NVIDIA RTX A4000', 'NVIDIA', 16, ARRAY['RTX A4000', 'A4000'], true),
    ('6a1e5eed-0000-4000-8000-000000000301', 'NVIDIA GeForce RTX 5090', 'NVIDIA', 32, ARRAY['RTX 5090', 'GeForce RTX 5090', 'NVIDIA RTX 5090', '5090', 'RTX 5090 32GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000302', 'NVIDIA GeForce RTX 5080', 'NVIDIA', 16, ARRAY['RTX 5080', 'GeForce RTX 5080', 'NVIDIA RTX 5080', '5080'], true),
    ('6a1e5eed-0000-4000-8000-000000000303', 'NVIDIA GeForce RTX 5070 Ti', 'NVIDIA', 16, ARRAY['RTX 5070 Ti', 'GeForce RTX 5070 Ti', 'NVIDIA RTX 5070 Ti', '5070 Ti'], true),
    ('6a1e5eed-0000-4000-8000-000000000304', 'NVIDIA GeForce RTX 5070', 'NVIDIA', 12, ARRAY['RTX 5070', 'GeForce RTX 5070', 'NVIDIA RTX 5070', '5070'], true),
    ('6a1e5eed-0000-4000-8000-000000000311', 'NVIDIA GeForce RTX 4090', 'NVIDIA', 24, ARRAY['RTX 4090', 'GeForce RTX 4090', 'NVIDIA RTX 4090', '4090', 'RTX 4090 24GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000312', 'NVIDIA GeForce RTX 4080 SUPER', 'NVIDIA', 16, ARRAY['RTX 4080 SUPER', 'GeForce RTX 4080 SUPER', 'NVIDIA RTX 4080 SUPER', '4080 SUPER', 'RTX 4080S'], true),
    ('6a1e5eed-0000-4000-8000-000000000313', 'NVIDIA GeForce RTX 4080', 'NVIDIA', 16, ARRAY['RTX 4080', 'GeForce RTX 4080', 'NVIDIA RTX 4080', '4080'], true),
    ('6a1e5eed-0000-4000-8000-000000000314', 'NVIDIA GeForce RTX 4070 Ti SUPER', 'NVIDIA', 16, ARRAY['RTX 4070 Ti SUPER', 'GeForce RTX 4070 Ti SUPER', 'NVIDIA RTX 4070 Ti SUPER', '4070 Ti SUPER', 'RTX 4070 Ti S'], true),
    ('6a1e5eed-0000-4000-8000-000000000315', 'NVIDIA GeForce RTX 4070 Ti', 'NVIDIA', 12, ARRAY['RTX 4070 Ti', 'GeForce RTX 4070 Ti', 'NVIDIA RTX 4070 Ti', '4070 Ti'], true),
    ('6a1e5eed-0000-4000-8000-000000000316', 'NVIDIA GeForce RTX 4070 SUPER', 'NVIDIA', 12, ARRAY['RTX 4070 SUPER', 'GeForce RTX 4070 SUPER', 'NVIDIA RTX 4070 SUPER', '4070 SUPER', 'RTX 4070S'], true),
    ('6a1e5eed-0000-4000-8000-000000000317', 'NVIDIA GeForce RTX 4070', 'NVIDIA', 12, ARRAY['RTX 4070', 'GeForce RTX 4070', 'NVIDIA RTX 4070', '4070'], true),
    ('6a1e5eed-0000-4000-8000-000000000318', 'NVIDIA GeForce RTX 4060 Ti', 'NVIDIA', 8, ARRAY['RTX 4060 Ti', 'GeForce RTX 4060 Ti', 'NVIDIA RTX 4060 Ti', '4060 Ti', 'RTX 4060 Ti 8GB', 'GeForce RTX 4060 Ti 8GB', 'NVIDIA GeForce RTX 4060 Ti 8GB', '4060 Ti 8GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000319', 'NVIDIA GeForce RTX 4060 Ti 16GB', 'NVIDIA', 16, ARRAY['RTX 4060 Ti 16GB', 'GeForce RTX 4060 Ti 16GB', 'NVIDIA RTX 4060 Ti 16GB', '4060 Ti 16GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000320', 'NVIDIA GeForce RTX 4060', 'NVIDIA', 8, ARRAY['RTX 4060', 'GeForce RTX 4060', 'NVIDIA RTX 4060', '4060'], true),
    ('6a1e5eed-0000-4000-8000-000000000321', 'NVIDIA GeForce RTX 3090 Ti', 'NVIDIA', 24, ARRAY['RTX 3090 Ti', 'GeForce RTX 3090 Ti', 'NVIDIA RTX 3090 Ti', '3090 Ti'], true),
    ('6a1e5eed-0000-4000-8000-000000000322', 'NVIDIA GeForce RTX 3090', 'NVIDIA', 24, ARRAY['RTX 3090', 'GeForce RTX 3090', 'NVIDIA RTX 3090', '3090', 'RTX 3090 24GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000323', 'NVIDIA GeForce RTX 3080 Ti', 'NVIDIA', 12, ARRAY['RTX 3080 Ti', 'GeForce RTX 3080 Ti', 'NVIDIA RTX 3080 Ti', '3080 Ti'], true),
    ('6a1e5eed-0000-4000-8000-000000000324', 'NVIDIA GeForce RTX 3080', 'NVIDIA', 10, ARRAY['RTX 3080', 'GeForce RTX 3080', 'NVIDIA RTX 3080', '3080', 'RTX 3080 10GB', 'NVIDIA GeForce RTX 3080 10GB'], true),
    ('6a1e5eed-0000-4000-8000-000000000325', 'NVIDIA GeForce RTX 3070 Ti', 'NVIDIA', 8, ARRAY['RTX 3070 Ti', 'GeForce RTX 3070 Ti', 'NVIDIA RTX 3070 Ti', '3070 Ti'], true),
    ('6a1e5eed-0000-4000-8000-000000000326', 'NVIDIA GeForce RTX 3070', 'NVIDIA', 8, ARRAY['RTX 3070', 'GeForce RTX 3070', 'NVIDIA RTX 3070', '3070'], true),
    ('6a1e5eed-0000-4000-8000-000000000327', 'NVIDIA GeForce RTX 3060 Ti', 'NVIDIA', 8, ARRAY['RTX 3060 Ti', 'GeForce RTX 3060 Ti', 'NVIDIA RTX 3060 Ti', '3060 Ti'], true),
    ('6a1e5eed-0000-4000-8000-000000000328', 'NVIDIA GeForce RTX 3060', 'NVIDIA', 12, ARRAY['RTX 3060', 'GeForce RTX 3060', 'NVIDIA RTX 3060', '3060', 'RTX 3060 12GB', 'NVIDIA GeForce RTX 3060 12GB'], true)
ON CONFLICT DO NOTHING;
