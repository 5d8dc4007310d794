package dev.galley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.client.Galley;
import dev.galley.client.ListQuery;
import dev.galley.client.Recipe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code galley recipes …}: saved job templates. RECIPE arguments take a uuid or a unique name. */
@Command(name = "recipes", mixinStandardHelpOptions = true,
        description = "Manage job recipes (saved job templates). RECIPE is a uuid or a unique name.",
        subcommands = {RecipesCommand.ListRecipes.class, RecipesCommand.GetRecipe.class, RecipesCommand.CreateRecipe.class,
                RecipesCommand.EditRecipe.class, RecipesCommand.DeleteRecipe.class, RecipesCommand.ForkRecipe.class,
                RecipesCommand.ArchiveRecipe.class},
        footer = {"", "Examples:", "  galley recipes list --mine", "  galley recipes create -f render.yaml",
                "  galley recipes edit render --set payload.gpu_count=2", "  galley recipes fork community-sd --name my-sd"})
public final class RecipesCommand extends CommandGroup {
    /** Fields a recipe file may hold, i.e. those create and update accept. */
    static final List<String> EDITABLE = List.of("name", "description", "visibility", "payload", "input_schema",
            "quickstart_md", "thumbnail_url");
    static final String MASK = "********";

    static Table table() {
        return new Table("UUID", "NAME", "VISIBILITY", "OWNER", "OFFICIAL", "LAST USED", "CREATED");
    }

    static Object[] row(JsonNode r) {
        return new Object[] {Cells.text(r, "uuid"), Cells.text(r, "name"), Cells.text(r, "visibility"),
                Cells.yesNo(r, "is_owner"), Cells.yesNo(r, "is_official"), Cells.time(r, "last_used_at"), Cells.time(r, "created_at")};
    }

    @Command(name = "list", description = "List your recipes and public ones.",
            footer = {"", "Examples:", "  galley recipes list", "  galley recipes list --name render --json",
                    "  galley recipes list --visibility ARCHIVED"})
    static final class ListRecipes extends ClientCommand {
        @Mixin PageOptions paging = new PageOptions();

        @Option(names = "--name", paramLabel = "TEXT", description = "names containing TEXT")
        String name;

        @Option(names = "--visibility", paramLabel = "V", description = "PRIVATE, PUBLIC or ARCHIVED (comma list allowed)")
        String visibility;

        @Option(names = "--mine", description = "only recipes your account owns")
        boolean mine;

        @Option(names = "--official", description = "only official recipes")
        boolean official;

        @Override
        protected int run(Galley galley) {
            ListQuery query = paging.query().filter("name", name).filter("visibility", visibility)
                    .filter("is_owner", mine ? "true" : null).filter("is_official", official ? "true" : null);
            printPage(galley.recipes().list(query), table(), RecipesCommand::row);
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", description = "Show one recipe.",
            footer = {"", "Examples:", "  galley recipes get render", "  galley recipes get render --as-file > render.yaml"})
    static final class GetRecipe extends ClientCommand {
        @Parameters(paramLabel = "RECIPE", description = "uuid or unique name")
        String recipe;

        @Option(names = "--as-file", description = "print the editable fields as a YAML recipe file (for create -f / edit -f)")
        boolean asFile;

        @Override
        protected int run(Galley galley) {
            Recipe found = galley.recipes().get(RecipeLookup.uuidOf(galley, recipe, true));
            if (asFile && !options.json() && !options.quiet()) {
                ctx.out().print(RecipeFiles.toYaml(editableFields(found.json())));
                ctx.out().flush();
            } else {
                printDetail(found.json(), Set.of());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "create", description = "Create a recipe from a YAML or JSON file.",
            footer = {"", "The file holds name, payload (a job spec) and optionally description, visibility,",
                    "input_schema, quickstart_md, thumbnail_url. See docs/cli.md for an example.", "",
                    "Examples:", "  galley recipes create -f render.yaml", "  galley recipes create -f - < recipe.json"})
    static final class CreateRecipe extends ClientCommand {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "recipe file (.yaml, .yml, .json; - for stdin)")
        String file;

        @Override
        protected int run(Galley galley) {
            JsonNode body = RecipeFiles.read(file, ctx.in());
            Recipe created = galley.recipes().create(body);
            printOne(created.json(), table().row(row(created.json())));
            return ExitCodes.OK;
        }
    }

    @Command(name = "edit", description = {"Change a recipe: from a file (-f), with --set, or in $VISUAL / $EDITOR.",
            "Only the top-level fields that change are sent; a changed payload replaces the old one whole."},
            footer = {"", "Examples:", "  galley recipes edit render                      # opens your editor",
                    "  galley recipes edit render --set visibility=PUBLIC --set payload.cpu_count=4",
                    "  galley recipes edit render -f render.yaml"})
    static final class EditRecipe extends ClientCommand {
        @Parameters(paramLabel = "RECIPE", description = "uuid or unique name")
        String recipe;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "fields to replace, from a YAML or JSON file")
        String file;

        @Option(names = "--set", paramLabel = "PATH=VALUE", description = "change one field, e.g. payload.gpu_count=2 (repeatable)")
        List<String> sets = new ArrayList<>();

        @Override
        protected int run(Galley galley) {
            String uuid = RecipeLookup.uuidOf(galley, recipe, true);
            ObjectNode before = editableFields(galley.recipes().get(uuid).json());
            ObjectNode after = before.deepCopy();
            if (file != null) {
                RecipeFiles.read(file, ctx.in()).fields().forEachRemaining(f -> after.set(f.getKey(), f.getValue()));
            }
            for (String set : sets) SetPaths.apply(after, set);
            if (file == null && sets.isEmpty()) after.setAll(editInEditor(before));
            ObjectNode patch = JsonPrinter.MAPPER.createObjectNode();
            after.fields().forEachRemaining(f -> {
                if (!f.getValue().equals(before.get(f.getKey()))) patch.set(f.getKey(), f.getValue());
            });
            if (patch.isEmpty()) {
                ctx.err().println("galley: nothing changed");
                return ExitCodes.OK;
            }
            if (patch.has("payload") && containsMask(patch.get("payload"))) {
                throw new UsageException("the new payload still holds masked secrets (" + MASK + "); the API never shows"
                        + " secrets, so put the real values in (or leave the payload unchanged)");
            }
            Recipe updated = galley.recipes().update(uuid, patch);
            printOne(updated.json(), table().row(row(updated.json())));
            return ExitCodes.OK;
        }

        private ObjectNode editInEditor(ObjectNode before) {
            String editor = firstSet(ctx.env().get("VISUAL"), ctx.env().get("EDITOR"));
            if (editor == null) throw new UsageException("set VISUAL or EDITOR, or use -f FILE or --set PATH=VALUE");
            try {
                Path temp = Files.createTempFile("galley-recipe-", ".yaml");
                try {
                    Files.writeString(temp, RecipeFiles.toYaml(before), StandardCharsets.UTF_8);
                    // Through sh so EDITOR may carry arguments ("code --wait"), as git and crontab allow.
                    Process process = new ProcessBuilder("sh", "-c", editor + " \"$1\"", "sh", temp.toString())
                            .inheritIO().start();
                    if (!process.waitFor(24, TimeUnit.HOURS) || process.exitValue() != 0) {
                        throw new UsageException("the editor exited with an error; nothing was changed");
                    }
                    JsonNode edited = RecipeFiles.read(temp.toString(), ctx.in());
                    return (ObjectNode) edited;
                } finally {
                    Files.deleteIfExists(temp);
                }
            } catch (IOException e) {
                throw new UsageException("cannot run the editor: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UsageException("interrupted while editing");
            }
        }
    }

    @Command(name = "delete", description = "Delete a recipe. Jobs cooked from it keep running and keep its uuid.",
            footer = {"", "Examples:", "  galley recipes delete render", "  galley recipes delete 0b6f…"})
    static final class DeleteRecipe extends ClientCommand {
        @Parameters(paramLabel = "RECIPE", description = "uuid or unique name")
        String recipe;

        @Override
        protected int run(Galley galley) {
            String uuid = RecipeLookup.uuidOf(galley, recipe, true);
            galley.recipes().delete(uuid);
            if (options.quiet() || options.json()) ctx.out().println(uuid);
            else ctx.out().println("deleted recipe " + uuid);
            ctx.out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "fork", description = "Copy a recipe (yours or a public one) into a new private recipe of yours.",
            footer = {"", "Examples:", "  galley recipes fork community-sd", "  galley recipes fork community-sd --name my-sd"})
    static final class ForkRecipe extends ClientCommand {
        @Parameters(paramLabel = "RECIPE", description = "uuid or unique name")
        String recipe;

        @Option(names = "--name", paramLabel = "NAME", description = "name of the copy (default: the same name)")
        String name;

        @Override
        protected int run(Galley galley) {
            Recipe fork = galley.recipes().fork(RecipeLookup.uuidOf(galley, recipe, false), name);
            printOne(fork.json(), table().row(row(fork.json())));
            return ExitCodes.OK;
        }
    }

    @Command(name = "archive", description = "Archive a recipe: hidden from lists and no longer cookable.",
            footer = {"", "Examples:", "  galley recipes archive render",
                    "  galley recipes edit render --set visibility=PRIVATE   # un-archive"})
    static final class ArchiveRecipe extends ClientCommand {
        @Parameters(paramLabel = "RECIPE", description = "uuid or unique name")
        String recipe;

        @Override
        protected int run(Galley galley) {
            Recipe archived = galley.recipes().archive(RecipeLookup.uuidOf(galley, recipe, false));
            printOne(archived.json(), table().row(row(archived.json())));
            return ExitCodes.OK;
        }
    }

    /** The fields of a recipe a file or an edit may change, in the API's order. */
    static ObjectNode editableFields(JsonNode recipe) {
        ObjectNode fields = JsonPrinter.MAPPER.createObjectNode();
        for (String name : EDITABLE) if (recipe.has(name)) fields.set(name, recipe.get(name));
        return fields;
    }

    static boolean containsMask(JsonNode node) {
        if (node.isTextual()) return MASK.equals(node.asText());
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) if (containsMask(it.next())) return true;
        return false;
    }

    private static String firstSet(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v;
        return null;
    }
}
