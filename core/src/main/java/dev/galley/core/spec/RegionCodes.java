package dev.galley.core.spec;

import java.util.List;
import java.util.Set;

/** The 36 region codes a job may be restricted to (spec §3.1), in the documented order. */
public final class RegionCodes {
    public static final List<String> ALL = List.of(
            "ca-central-1", "ca-west-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1",
            "us-west-2", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1",
            "eu-west-2", "eu-west-3", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2",
            "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
            "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "cn-north-1",
            "cn-northwest-1", "af-south-1", "il-central-1", "me-central-1", "me-south-1");

    private static final Set<String> SET = Set.copyOf(ALL);

    private RegionCodes() {}

    public static boolean isValid(String code) {
        return code != null && SET.contains(code);
    }
}
