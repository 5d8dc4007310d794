package dev.galley.server;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.Slice;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering of docs/architecture.md, checked on the compiled classes so that it stays true: a functional core
 * that knows nothing of I/O, an SDK that carries nothing but Jackson, SQL only in repositories, thin handlers and
 * no cycles between packages. A rule broken here names the class and the dependency that broke it.
 */
class ArchitectureTest {
    private static final JavaClasses GALLEY = new ClassFileImporter()
            // Test classes may reach into anything (a build dir other than target/ defeats ArchUnit's own option).
            .withImportOption(location -> !location.contains("/test-classes/"))
            .importPackages("dev.galley.core", "dev.galley.client", "dev.galley.server");

    /** The statements of a JDBI handle: whoever calls these writes SQL. */
    private static final DescribedPredicate<JavaMethodCall> RUNS_SQL = DescribedPredicate.describe("runs SQL on a JDBI handle",
            call -> call.getTargetOwner().isAssignableTo(org.jdbi.v3.core.Handle.class)
                    && call.getName().matches("create(Query|Update|Call|Script)|execute|select|prepareBatch|inTransaction|useTransaction"));

    @Test
    void the_core_depends_on_nothing_but_the_jdk_and_jackson() {
        ArchRule rule = classes().that().resideInAPackage("dev.galley.core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.galley.core..", "java..", "javax.crypto..", "com.fasterxml.jackson..")
                .because("the core is pure: no I/O, no framework, unit-tested fast (docs/architecture.md)");
        rule.check(GALLEY);
    }

    @Test
    void the_sdk_depends_on_nothing_but_the_core_the_jdk_and_jackson() {
        ArchRule rule = classes().that().resideInAPackage("dev.galley.client..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.galley.client..", "dev.galley.core..", "java..",
                        "com.fasterxml.jackson..")
                .because("users embed the SDK jar; the CLI's picocli and YAML live in the cli module");
        rule.check(GALLEY);
    }

    /** Packages every feature may use and that know no feature: HTTP primitives, the database, secrets, settings, metrics. */
    private static final String[] INFRASTRUCTURE = {"dev.galley.server.http..", "dev.galley.server.db..",
            "dev.galley.server.crypto..", "dev.galley.server.config..", "dev.galley.server.metrics..", "dev.galley.server.idempotency.."};

    @Test
    void only_repositories_run_sql() {
        // db holds the database plumbing (health probe, paging helper repositories share, Signals' pg_notify calls
        // riding on the caller's transaction).
        ArchRule rule = noClasses().that().resideInAPackage("dev.galley.server..")
                .and().haveSimpleNameNotEndingWith("Repository")
                .and().resideOutsideOfPackage("dev.galley.server.db..")
                .should().callMethodWhere(RUNS_SQL)
                .because("services pass a handle along inside their transaction; the statements live in repositories");
        rule.check(GALLEY);
    }

    @Test
    void infrastructure_knows_no_feature() {
        ArchRule rule = noClasses().that().resideInAnyPackage(INFRASTRUCTURE)
                .should().dependOnClassesThat(DescribedPredicate.describe("a feature package or the composition root",
                        (com.tngtech.archunit.core.domain.JavaClass c) -> c.getPackageName().startsWith("dev.galley.server")
                                && INFRASTRUCTURE_PACKAGES.stream().noneMatch(p -> c.getPackageName().startsWith(p))))
                .because("features build on the infrastructure, never the other way round; routes are wired in the root package");
        rule.check(GALLEY);
    }

    private static final java.util.List<String> INFRASTRUCTURE_PACKAGES = java.util.Arrays.stream(INFRASTRUCTURE)
            .map(p -> p.substring(0, p.length() - 2)).toList();

    /**
     * Every package of the server, features included, forms a DAG (docs/architecture.md draws it): the job and run
     * records ({@code lifecycle}) sit under every feature that reads them, so no feature needs one that needs it.
     */
    @Test
    void the_servers_packages_have_no_cycles() {
        slices().matching("dev.galley.server.(*)..").should().beFreeOfCycles().check(GALLEY);
    }

    @Test
    void the_job_and_run_records_depend_only_on_the_infrastructure() {
        ArchRule rule = classes().that().resideInAPackage("dev.galley.server.lifecycle..")
                .should().onlyDependOnClassesThat(DescribedPredicate.describe("the core, the infrastructure or a library",
                        (com.tngtech.archunit.core.domain.JavaClass c) -> !c.getPackageName().startsWith("dev.galley.server")
                                || c.getPackageName().startsWith("dev.galley.server.lifecycle")
                                || INFRASTRUCTURE_PACKAGES.stream().anyMatch(p -> c.getPackageName().startsWith(p))))
                .because("jobs, runs, nodes, the scheduler, metering and billing all read these records; they can need none of them");
        rule.check(GALLEY);
    }

    @Test
    void handlers_neither_touch_the_database_nor_hold_a_transaction() {
        ArchRule rule = noClasses().that().haveSimpleNameEndingWith("Handlers")
                .should().dependOnClassesThat().resideInAnyPackage("org.jdbi..", "java.sql..", "dev.galley.server.db..")
                .because("a handler parses, calls one service method and renders");
        rule.check(GALLEY);
    }

    @Test
    void the_cores_packages_have_no_cycles() {
        slices().matching("dev.galley.core.(*)..").should().beFreeOfCycles().check(GALLEY);
    }
}
