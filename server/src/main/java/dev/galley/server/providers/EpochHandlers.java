package dev.galley.server.providers;

import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.list.FilterKind;
import dev.galley.core.list.ListQueryParser;
import dev.galley.core.providers.EpochStatus;
import dev.galley.server.auth.Caller;
import dev.galley.server.http.Responses;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** /v1/compute/epochs: epochs and their per-node rewards (epochs.read.own: own nodes; epochs.read.all: all). */
public final class EpochHandlers {
    private static final ListQueryParser LIST = new ListQueryParser(
            Map.of("status", FilterKind.WORD_SET, "starts_at", FilterKind.DATE_RANGE),
            Map.of("status", ListQueryParser.names(EpochStatus.values())), Set.of());
    private static final ListQueryParser REWARDS = new ListQueryParser(
            Map.of("node_uuid", FilterKind.UUID_SET), Map.of(), Set.of());

    private final EpochService epochs;

    public EpochHandlers(EpochService epochs) {
        this.epochs = epochs;
    }

    public void list(Context ctx, Caller caller) {
        caller.require(Resource.EPOCHS, Action.READ);
        var q = LIST.parse(ctx.queryParamMap());
        Responses.page(ctx, q, epochs.list(caller, q), e -> EpochView.epoch(e, epochs.statusOf(e)));
    }

    public void get(Context ctx, Caller caller) {
        caller.require(Resource.EPOCHS, Action.READ);
        var e = epochs.get(caller, uuid(ctx));
        Responses.json(ctx, 200, EpochView.epoch(e, epochs.statusOf(e)));
    }

    public void rewards(Context ctx, Caller caller) {
        caller.require(Resource.EPOCHS, Action.READ);
        var q = REWARDS.parse(ctx.queryParamMap());
        Responses.page(ctx, q, epochs.rewards(caller, uuid(ctx), q), EpochView::reward);
    }

    private static UUID uuid(Context ctx) {
        return Responses.pathUuid(ctx, "compute epoch");
    }
}
