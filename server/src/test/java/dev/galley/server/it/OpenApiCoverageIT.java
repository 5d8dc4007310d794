package dev.galley.server.it;

import dev.galley.server.contract.OpenApiContract;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs last: every operation the OpenAPI document describes was called by the integration tests with its
 * response checked against the document, so the contract and the server cannot drift apart unnoticed.
 */
@Order(Integer.MAX_VALUE)
class OpenApiCoverageIT {
    @Test
    void everyDocumentedOperationWasExercisedAgainstTheRealServer() {
        var contract = OpenApiContract.load();
        assertThat(contract.operations()).hasSizeGreaterThan(30);
        assertThat(contract.unexercisedOperations()).as("operations no test called").isEmpty();
    }
}
