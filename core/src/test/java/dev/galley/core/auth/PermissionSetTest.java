package dev.galley.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.error.FieldError;
import dev.galley.core.error.ValidationException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PermissionSetTest {

    @Test
    void parsesExplicitPermissions() {
        PermissionSet set = PermissionSet.parse(List.of("jobs.read.own", "nodes.update.all"));
        assertThat(set.asStrings()).containsExactly("jobs.read.own", "nodes.update.all");
        assertThat(set.allows(Resource.JOBS, Action.READ, Scope.OWN)).isTrue();
        assertThat(set.allows(Resource.JOBS, Action.READ, Scope.ALL)).isFalse();
        assertThat(set.allows(Resource.JOBS, Action.CREATE, Scope.OWN)).isFalse();
        assertThat(set.allows(Resource.NODES, Action.UPDATE, Scope.ALL)).isTrue();
    }

    @Test
    void allImpliesOwnButNotTheOtherWay() {
        PermissionSet set = PermissionSet.parse(List.of("job_runs.read.all"));
        assertThat(set.allows(Resource.JOB_RUNS, Action.READ, Scope.OWN)).isTrue();
        assertThat(set.allows(Resource.JOB_RUNS, Action.READ, Scope.ALL)).isTrue();
        assertThat(PermissionSet.parse(List.of("job_runs.read.own")).allows(Resource.JOB_RUNS, Action.READ, Scope.ALL)).isFalse();
    }

    @Test
    void starAllowsEverythingAndSubsumesTheRest() {
        PermissionSet set = PermissionSet.parse(List.of("jobs.read.own", "*"));
        assertThat(set.grantsEverything()).isTrue();
        assertThat(set.asStrings()).containsExactly("*");
        assertThat(set.allows(Resource.ACCOUNTS, Action.DELETE, Scope.ALL)).isTrue();
        assertThat(set).isEqualTo(PermissionSet.everything());
    }

    @Test
    void expandsComputeNodePreset() {
        PermissionSet set = PermissionSet.parse(List.of("preset:compute_node"));
        assertThat(set.asStrings()).containsExactly("nodes.read.own", "nodes.update.own", "jobs.read.own",
                "job_runs.read.own", "job_runs.update.own", "ledger.read.own", "epochs.read.own");
        assertThat(set.allows(Resource.JOBS, Action.CREATE, Scope.OWN)).isFalse();
    }

    @Test
    void expandsComputeConsumerPresetAndDropsDuplicates() {
        PermissionSet set = PermissionSet.parse(List.of("jobs.read.own", "preset:compute_consumer"));
        assertThat(set.asStrings()).containsExactly("jobs.read.own",
                "job_recipes.read.own", "job_recipes.create.own", "job_recipes.update.own", "job_recipes.delete.own",
                "jobs.create.own", "jobs.update.own", "job_runs.read.own", "gpu_registry.read.all",
                "api_keys.read.own", "api_keys.create.own", "api_keys.delete.own",
                "usage.read.own", "ledger.read.own", "prices.read.all");
        assertThat(set.allows(Resource.JOBS, Action.DELETE, Scope.OWN)).isFalse();
        assertThat(set.allows(Resource.API_KEYS, Action.UPDATE, Scope.OWN)).isFalse();
    }

    @Test
    void expandsWildcardResourceOrAction() {
        assertThat(PermissionSet.parse(List.of("accounts.*.all")).asStrings())
                .containsExactly("accounts.read.all", "accounts.create.all", "accounts.update.all", "accounts.delete.all");
        PermissionSet readAll = PermissionSet.parse(List.of("*.read.all"));
        assertThat(readAll.asStrings()).hasSize(Resource.values().length);
        assertThat(readAll.allows(Resource.GPU_REGISTRY, Action.READ, Scope.OWN)).isTrue();
        assertThat(readAll.allows(Resource.JOBS, Action.UPDATE, Scope.OWN)).isFalse();
    }

    @Test
    void reportsEveryBadEntryAtItsIndex() {
        List<String> raw = Arrays.asList("jobs.read.own", "jobs.read", "widgets.read.own", "jobs.fly.own",
                "jobs.read.mine", null, "preset:admin", "Jobs.read.own", "jobs.read.*", "");
        assertThatThrownBy(() -> PermissionSet.parse(raw))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field)
                        .containsExactly("permissions[1]", "permissions[2]", "permissions[3]", "permissions[4]",
                                "permissions[5]", "permissions[6]", "permissions[7]", "permissions[8]",
                                "permissions[9]"));
        assertThatThrownBy(() -> PermissionSet.parse(raw))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::message)
                        .anySatisfy(m -> assertThat(m).contains("unknown resource 'widgets'"))
                        .anySatisfy(m -> assertThat(m).contains("unknown action 'fly'"))
                        .anySatisfy(m -> assertThat(m).contains("unknown scope 'mine'"))
                        .anySatisfy(m -> assertThat(m).contains("unknown preset 'preset:admin'")
                                .contains("preset:compute_consumer")));
    }

    @Test
    void nullOrEmptyListIsRejectedAtPermissions() {
        assertThatThrownBy(() -> PermissionSet.parse(null))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors()).containsExactly(new FieldError("permissions", "is required")));
        assertThatThrownBy(() -> PermissionSet.parse(List.of()))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("permissions"));
    }

    @Test
    void coversWhatTheCreatorHas() {
        PermissionSet consumer = PermissionSet.parse(List.of("preset:compute_consumer"));
        assertThat(consumer.covers(PermissionSet.parse(List.of("jobs.read.own", "api_keys.create.own")))).isTrue();
        assertThat(consumer.covers(consumer)).isTrue();
        assertThat(consumer.covers(PermissionSet.parse(List.of("jobs.read.all")))).isFalse();
        assertThat(consumer.covers(PermissionSet.parse(List.of("preset:compute_node")))).isFalse();
        assertThat(consumer.missingFrom(PermissionSet.parse(List.of("preset:compute_node"))))
                .containsExactly("nodes.read.own", "nodes.update.own", "job_runs.update.own", "epochs.read.own");
        assertThat(consumer.covers(PermissionSet.everything())).isFalse();
        assertThat(consumer.missingFrom(PermissionSet.everything())).containsExactly("*");
    }

    @Test
    void allCoversOwnAndStarCoversEverything() {
        PermissionSet operator = PermissionSet.parse(List.of("jobs.*.all"));
        assertThat(operator.covers(PermissionSet.parse(List.of("jobs.update.own", "jobs.delete.all")))).isTrue();
        assertThat(PermissionSet.parse(List.of("jobs.read.own")).covers(PermissionSet.parse(List.of("jobs.read.all"))))
                .isFalse();
        assertThat(PermissionSet.everything().covers(PermissionSet.everything())).isTrue();
        assertThat(PermissionSet.everything().covers(operator)).isTrue();
        assertThat(PermissionSet.everything().missingFrom(operator)).isEmpty();
    }

    @Test
    void singlePermissionParsesAndPrints() {
        assertThat(Permission.parse("gpu_registry.read.all"))
                .contains(new Permission(Resource.GPU_REGISTRY, Action.READ, Scope.ALL));
        assertThat(Permission.parse("gpu_registry.read.all").orElseThrow().toString()).isEqualTo("gpu_registry.read.all");
        assertThat(Permission.parse("jobs.*.all")).isEmpty();
        assertThat(Permission.parse("jobs.read.own.x")).isEmpty();
    }
}
