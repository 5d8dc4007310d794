package dev.galley.server.it;

import dev.galley.server.contract.OpenApiContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation the OpenAPI document describes was called on the real server by some test, its response
 * checked against the document, so the contract and the server cannot drift apart unnoticed.
 *
 * <p>A step of its own, not a test among the others: server/pom.xml runs it in the surefire execution
 * {@code openapi-coverage}, after all other tests of the module, on what their JVMs recorded (see
 * {@link OpenApiContract#RECORD_DIRECTORY_PROPERTY}). It does not depend on the order of test classes or on
 * state in its own JVM; a run of chosen tests ({@code -Dtest=…}) leaves it out.
 */
class OpenApiCoverageIT {
    @Test
    void everyDocumentedOperationWasExercisedAgainstTheRealServer() throws IOException {
        String dir = System.getProperty(OpenApiContract.RECORD_DIRECTORY_PROPERTY);
        assertThat(dir).as("-D" + OpenApiContract.RECORD_DIRECTORY_PROPERTY + " (server/pom.xml sets it)").isNotNull();
        Set<String> exercised = recorded(Path.of(dir));
        assertThat(exercised).as("operations recorded in " + dir + ": none, so no test ran before this check;"
                + " it belongs after the whole suite (mvn verify without -Dtest)").isNotEmpty();
        var operations = OpenApiContract.load().operations();
        assertThat(operations).hasSizeGreaterThan(30);
        assertThat(operations.stream().filter(op -> !exercised.contains(op)).toList()).as("operations no test called").isEmpty();
    }

    private static Set<String> recorded(Path dir) throws IOException {
        Set<String> operations = new HashSet<>();
        if (!Files.isDirectory(dir)) return operations;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) operations.addAll(Files.readAllLines(file));
        }
        return operations;
    }
}
