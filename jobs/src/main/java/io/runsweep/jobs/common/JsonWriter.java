package io.runsweep.jobs.common;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Every JSON document Runsweep writes (reports, webhook bodies, the bench), streamed through Jackson so that
 * escaping and number forms are the library's, never ours.
 */
public final class JsonWriter {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final StringWriter text = new StringWriter();
    private final JsonGenerator json;

    public JsonWriter() {
        try {
            json = FACTORY.createGenerator(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A writer of JSON Lines: each top-level value on a line of its own. */
    public static JsonWriter lines() {
        JsonWriter writer = new JsonWriter();
        writer.json.setRootValueSeparator(new SerializedString("\n"));
        return writer;
    }

    public JsonWriter beginObject() {
        return write(JsonGenerator::writeStartObject);
    }

    public JsonWriter endObject() {
        return write(JsonGenerator::writeEndObject);
    }

    public JsonWriter beginArray() {
        return write(JsonGenerator::writeStartArray);
    }

    public JsonWriter endArray() {
        return write(JsonGenerator::writeEndArray);
    }

    public JsonWriter name(String name) {
        return write(g -> g.writeFieldName(name));
    }

    public JsonWriter field(String name, Object value) {
        return name(name).value(value);
    }

    /** A value in an array, or after {@link #name}: null, a number, a boolean, or else its text. */
    public JsonWriter value(Object value) {
        return write(g -> {
            if (value == null) {
                g.writeNull();
            } else if (value instanceof Boolean b) {
                g.writeBoolean(b);
            } else if (value instanceof Long || value instanceof Integer || value instanceof Short) {
                g.writeNumber(((Number) value).longValue());
            } else if (value instanceof Double || value instanceof Float) {
                g.writeNumber(((Number) value).doubleValue());
            } else if (value instanceof BigDecimal d) {
                g.writeNumber(d);
            } else if (value instanceof BigInteger i) {
                g.writeNumber(i);
            } else {
                g.writeString(value.toString());
            }
        });
    }

    /** The document so far. */
    @Override
    public String toString() {
        write(JsonGenerator::flush);
        return text.toString();
    }

    private JsonWriter write(Step step) {
        try {
            step.apply(json);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write JSON", e);
        }
        return this;
    }

    @FunctionalInterface
    private interface Step {
        void apply(JsonGenerator json) throws IOException;
    }
}
