package dev.galley.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Structural mutations of a valid JSON body: each picks a place in the tree and breaks one rule there (a field
 * dropped, doubled or renamed, a value of the wrong type, a number past an edge, hostile or very long text,
 * deep nesting, an unknown member, an odd array, a valid value of another field) and says what it did.
 */
final class JsonMutations {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One mutation; each returns a short description such as {@code "retype payload.cpu_count <- []"}. */
    enum Kind { DROP, DUPLICATE, RENAME, RETYPE, NUMBER, HOSTILE_STRING, LONG_STRING, DEEP, ADD_MEMBER, ARRAY, TOKEN, NULL }

    /** A place in the tree: the root (no parent), a member of an object or an element of an array. */
    private record Slot(JsonNode parent, String field, int index, JsonNode value, String path) {}

    private final SplittableRandom random;
    private final List<String> vocabulary;

    /** @param vocabulary valid values of the API's fields (enum values, ids, names) to put where they do not belong */
    JsonMutations(SplittableRandom random, List<String> vocabulary) {
        this.random = random;
        this.vocabulary = vocabulary;
    }

    String apply(JsonDraft draft, Kind kind) {
        List<Slot> slots = slots(draft.root());
        return switch (kind) {
            case DROP -> drop(draft, slots);
            case DUPLICATE -> duplicate(draft, slots);
            case RENAME -> rename(draft, slots);
            case RETYPE -> replace(draft, pick(slots, s -> true), HostileValues.WRONG_TYPES, "retype");
            case NUMBER -> replace(draft, pick(slots, s -> s.value().isNumber()), HostileValues.NUMBERS, "number");
            case HOSTILE_STRING -> replace(draft, pick(slots, s -> s.value().isTextual()), HostileValues.STRINGS, "hostile");
            case LONG_STRING -> longString(draft, pick(slots, s -> s.value().isTextual()));
            case DEEP -> deep(draft, pick(slots, s -> true));
            case ADD_MEMBER -> addMember(draft, slots);
            case ARRAY -> array(draft, pick(slots, s -> s.value().isArray()));
            case TOKEN -> token(draft, pick(slots, s -> s.value().isTextual()));
            case NULL -> {
                Slot s = pick(slots, x -> x.parent() != null);
                set(draft, s, NODES.nullNode());
                yield "null " + s.path();
            }
        };
    }

    private String drop(JsonDraft draft, List<Slot> slots) {
        Slot s = pick(slots, x -> x.parent() != null);
        if (s.parent() == null) return "drop (nothing to drop)";
        if (s.parent() instanceof ObjectNode o) o.remove(s.field());
        else ((ArrayNode) s.parent()).remove(s.index());
        return "drop " + s.path();
    }

    /** The same member twice, the second time with the same value or another: strict readers refuse both. */
    private String duplicate(JsonDraft draft, List<Slot> slots) {
        Slot s = pick(slots, x -> x.value() instanceof ObjectNode o && !o.isEmpty());
        if (!(s.value() instanceof ObjectNode object) || object.isEmpty()) return "duplicate (no object)";
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        String name = names.get(random.nextInt(names.size()));
        boolean same = random.nextBoolean();
        StringBuilder text = new StringBuilder("{");
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            text.append(TextNode.valueOf(e.getKey())).append(':').append(e.getValue()).append(',');
        }
        text.append(TextNode.valueOf(name)).append(':').append(same ? object.get(name).toString() : oneOf(HostileValues.WRONG_TYPES)).append('}');
        set(draft, s, draft.rawValue(text.toString()));
        return "duplicate " + join(s.path(), name) + (same ? " (same value)" : " (other value)");
    }

    private String rename(JsonDraft draft, List<Slot> slots) {
        Slot s = pick(slots, x -> x.parent() instanceof ObjectNode);
        if (!(s.parent() instanceof ObjectNode parent)) return "rename (no member)";
        String to = switch (random.nextInt(5)) {
            case 0 -> s.field().toUpperCase(java.util.Locale.ROOT);
            case 1 -> s.field() + " ";
            case 2 -> camelCase(s.field());
            case 3 -> "x_" + s.field();
            default -> draft.placeholder(oneOf(HostileValues.MEMBER_NAMES));
        };
        parent.remove(s.field());
        parent.set(to, s.value());
        return "rename " + s.path() + " -> " + to;
    }

    private String replace(JsonDraft draft, Slot s, List<String> values, String what) {
        String value = oneOf(values);
        set(draft, s, draft.rawValue(value));
        return what + " " + s.path() + " <- " + abbreviate(value);
    }

    private String longString(JsonDraft draft, Slot s) {
        int length = HostileValues.LONG_LENGTHS[random.nextInt(HostileValues.LONG_LENGTHS.length)];
        String unit = oneOf(HostileValues.LONG_UNITS);
        String text = unit.repeat(Math.max(1, length / unit.length()));
        set(draft, s, draft.rawValue("\"" + text + "\""));
        return "long " + s.path() + " <- " + text.length() + " x '" + unit + "'";
    }

    private String deep(JsonDraft draft, Slot s) {
        int depth = HostileValues.NESTING_DEPTHS[random.nextInt(HostileValues.NESTING_DEPTHS.length)];
        boolean arrays = random.nextBoolean();
        set(draft, s, draft.rawValue(HostileValues.nested(depth, arrays)));
        return "deep " + s.path() + " <- " + depth + (arrays ? " arrays" : " objects");
    }

    private String addMember(JsonDraft draft, List<Slot> slots) {
        Slot s = pick(slots, x -> x.value().isObject());
        if (!(s.value() instanceof ObjectNode object)) return "add (no object)";
        String name = draft.placeholder(oneOf(HostileValues.MEMBER_NAMES));
        String value = random.nextBoolean() ? oneOf(HostileValues.WRONG_TYPES) : quote(oneOf(vocabulary));
        object.set(name, draft.rawValue(value));
        return "add " + join(s.path(), name) + " <- " + abbreviate(value);
    }

    private String array(JsonDraft draft, Slot s) {
        if (!(s.value() instanceof ArrayNode array)) {
            ArrayNode wrapped = NODES.arrayNode().add(s.value());
            set(draft, s, wrapped);
            return "wrap " + s.path() + " in an array";
        }
        switch (random.nextInt(4)) {
            case 0 -> {
                array.removeAll();
                return "empty " + s.path();
            }
            case 1 -> {
                int copies = new int[]{2, 37, 1_000, 20_000}[random.nextInt(4)];
                JsonNode item = array.isEmpty() ? NODES.numberNode(1) : array.get(0);
                for (int i = 1; i < copies; i++) array.add(item.deepCopy());
                return "repeat " + s.path() + "[0] " + copies + " times";
            }
            case 2 -> {
                String value = oneOf(HostileValues.WRONG_TYPES);
                array.add(draft.rawValue(value));
                return "append " + abbreviate(value) + " to " + s.path();
            }
            default -> {
                String value = oneOf(HostileValues.STRINGS);
                array.insert(0, draft.rawValue(value));
                return "prepend " + abbreviate(value) + " to " + s.path();
            }
        }
    }

    private String token(JsonDraft draft, Slot s) {
        String token = oneOf(vocabulary);
        set(draft, s, TextNode.valueOf(token));
        return "token " + s.path() + " <- " + abbreviate(token);
    }

    private static void set(JsonDraft draft, Slot s, JsonNode value) {
        if (s.parent() == null) draft.setRoot(value);
        else if (s.parent() instanceof ObjectNode o) o.set(s.field(), value);
        else ((ArrayNode) s.parent()).set(s.index(), value);
    }

    /** A slot that {@code wanted} accepts, or any slot when none does (a mutation always does something). */
    private Slot pick(List<Slot> slots, java.util.function.Predicate<Slot> wanted) {
        List<Slot> fit = slots.stream().filter(wanted).toList();
        List<Slot> from = fit.isEmpty() ? slots : fit;
        return from.get(random.nextInt(from.size()));
    }

    private static List<Slot> slots(JsonNode root) {
        List<Slot> out = new ArrayList<>();
        out.add(new Slot(null, null, -1, root, "$"));
        collect(root, "", out);
        return out;
    }

    private static void collect(JsonNode node, String path, List<Slot> out) {
        if (node instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                String p = join(path, e.getKey());
                out.add(new Slot(o, e.getKey(), -1, e.getValue(), p));
                collect(e.getValue(), p, out);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < Math.min(a.size(), 8); i++) { // an array repeated thousands of times is one place
                String p = path + "[" + i + "]";
                out.add(new Slot(a, null, i, a.get(i), p));
                collect(a.get(i), p, out);
            }
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() || path.equals("$") ? name : path + "." + name;
    }

    private static String camelCase(String snake) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') up = true;
            else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return TextNode.valueOf(s).toString();
    }

    private String oneOf(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 40) + "…(" + s.length() + " chars)";
    }
}
