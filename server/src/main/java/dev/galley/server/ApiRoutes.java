package dev.galley.server;

import dev.galley.server.accounts.AccountHandlers;
import dev.galley.server.gpus.GpuHandlers;
import dev.galley.server.jobs.JobHandlers;
import dev.galley.server.keys.ApiKeyHandlers;
import dev.galley.server.ledger.LedgerHandlers;
import dev.galley.server.nodes.NodeHandlers;
import dev.galley.server.providers.EpochHandlers;
import dev.galley.server.prices.PriceHandlers;
import dev.galley.server.recipes.RecipeHandlers;
import dev.galley.server.runs.RunHandlers;
import dev.galley.server.usage.UsageHandlers;

/** Every route of the API in one table, each pointing at one handler method. */
public final class ApiRoutes {
    private ApiRoutes() {}

    public static void register(RouteRegistrar r, AccountHandlers accounts, ApiKeyHandlers keys, GpuHandlers gpus,
                                RecipeHandlers recipes, JobHandlers jobs, RunHandlers runs, NodeHandlers nodes,
                                PriceHandlers prices, UsageHandlers usage, LedgerHandlers ledger, EpochHandlers epochs) {
        r.post("/v1/accounts", accounts::create);
        r.get("/v1/accounts", accounts::list);
        r.get("/v1/accounts/{uuid}", accounts::get);

        r.post("/v1/api-keys", keys::create);
        r.get("/v1/api-keys", keys::list);
        r.get("/v1/api-keys/{uuid}", keys::get);
        r.delete("/v1/api-keys/{uuid}", keys::revoke);

        r.get("/v1/gpu-registry", gpus::list);
        r.get("/v1/gpu-registry/{uuid}", gpus::get);

        r.post("/v1/job-recipes", recipes::create);
        r.get("/v1/job-recipes", recipes::list);
        r.get("/v1/job-recipes/{uuid}", recipes::get);
        r.patch("/v1/job-recipes/{uuid}", recipes::patch);
        r.delete("/v1/job-recipes/{uuid}", recipes::delete);
        r.post("/v1/job-recipes/{uuid}/fork", recipes::fork);
        r.postClaimingNonce("/v1/job-recipes/{uuid}/cook", jobs::cook);

        r.postClaimingNonce("/v1/jobs", jobs::create);
        r.get("/v1/jobs", jobs::list);
        r.get("/v1/jobs/{uuid}", jobs::get);
        r.put("/v1/jobs/{uuid}/cancel", jobs::cancel);

        r.get("/v1/job-runs", runs::list);
        r.get("/v1/job-runs/{uuid}", runs::get);
        r.get("/v1/job-runs/{uuid}/logs", runs::logs);
        r.patch("/v1/job-runs/{uuid}", runs::update);
        r.post("/v1/job-runs/{uuid}/logs", runs::appendLogs);

        r.post("/v1/nodes/register", nodes::register);
        r.get("/v1/nodes", nodes::list);
        r.get("/v1/nodes/{uuid}", nodes::get);
        r.patch("/v1/nodes/{uuid}", nodes::update);
        r.post("/v1/nodes/{uuid}/heartbeat", nodes::heartbeat);
        r.get("/v1/nodes/{uuid}/assignments", nodes::assignments);
        r.get("/v1/nodes/{uuid}/hardware-events", nodes::hardwareEvents);
        r.get("/v1/compute/epochs", epochs::list);
        r.get("/v1/compute/epochs/{uuid}", epochs::get);
        r.get("/v1/compute/epochs/{uuid}/rewards", epochs::rewards);

        r.get("/v1/prices", prices::list);
        r.post("/v1/prices", prices::create);
        r.get("/v1/usage", usage::list);
        r.get("/v1/usage/summary", usage::summary);
        r.get("/v1/compute/ledger/transactions", ledger::list);
        r.post("/v1/compute/ledger/transactions", ledger::create);
        r.get("/v1/balance", ledger::balance);
    }
}
