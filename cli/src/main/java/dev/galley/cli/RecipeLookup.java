package dev.galley.cli;

import dev.galley.client.Galley;
import dev.galley.client.Recipe;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Finds the recipe a user means by a uuid or by a name: unique among the recipes they can see, or else unique
 * among their own.
 */
final class RecipeLookup {
    private RecipeLookup() {}

    /**
     * @param includeArchived also match ARCHIVED recipes (to delete or un-archive them); cooking never can
     * @return the recipe's uuid; a uuid-shaped argument is returned unchecked (the API answers 404 if unknown)
     */
    static String uuidOf(Galley galley, String recipe, boolean includeArchived) {
        if (isUuid(recipe)) return recipe.strip();
        List<Recipe> matches = galley.recipes().findByName(recipe, includeArchived);
        if (matches.isEmpty()) {
            throw new CommandFailure(ExitCodes.ERROR, "no recipe named '" + recipe + "' (galley recipes list shows the ones you can use)");
        }
        if (matches.size() > 1) {
            // Another account's PUBLIC recipe may share your recipe's name; what you own is what you mean.
            List<Recipe> own = matches.stream().filter(Recipe::isOwner).toList();
            if (own.size() == 1) return own.get(0).uuid();
            String which = matches.stream()
                    .map(r -> r.uuid() + " (" + r.visibility() + (r.isOwner() ? ", yours" : "") + ")")
                    .collect(Collectors.joining(", "));
            throw new UsageException("several recipes are named '" + recipe + "': " + which + "; use the uuid");
        }
        return matches.get(0).uuid();
    }

    static boolean isUuid(String text) {
        try {
            String t = text.strip();
            return t.length() == 36 && UUID.fromString(t) != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
