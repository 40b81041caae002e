package fun.ai.studio.deploy.support;

import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;

/** Small readers for JSON replies, so assertions state the contract rather than tree navigation. */
public final class Json {

    private Json() {
    }

    /** The object's property names, sorted, for exact field-set assertions. */
    public static Set<String> fieldNames(JsonNode object) {
        return new TreeSet<>(object.propertyNames());
    }

    /** One string property of every element of an array. */
    public static List<String> strings(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false).map(e -> e.get(field).stringValue()).toList();
    }

    /** One integral property of every element of an array. */
    public static List<Long> longs(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false).map(e -> e.get(field).longValue()).toList();
    }

    /** True when the property is present with JSON {@code null}: "null", not "left out". */
    public static boolean isExplicitNull(JsonNode object, String field) {
        return object.has(field) && object.get(field).isNull();
    }
}
