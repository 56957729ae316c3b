package io.sluice.transfer.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The journal's JSON through jackson-core's streaming API: written with Jackson's {@link DefaultPrettyPrinter}, the
 * same bytes jackson-databind's pretty printer wrote before (so journals left by an earlier version resume), and read
 * token by token, strictly (an unknown, missing or duplicate field, a null where a number belongs or a fraction is
 * "corrupt", as databind with {@code FAIL_ON_UNKNOWN_PROPERTIES}, {@code FAIL_ON_NULL_FOR_PRIMITIVES} and
 * {@code FAIL_ON_MISSING_CREATOR_PROPERTIES} refused them).
 *
 * <p>Why not databind: the journal was the only user of jackson-databind on the {@code sluice fetch} path, and
 * binding two records loaded ~500 classes into every download (~3 MiB of peak RSS and start-up time for a fixed
 * eight-field document). jackson-core alone is a small part of that (docs/BENCHMARKS.md, "Transfers").
 */
final class JournalJson {

    /** Thread-safe and meant to be shared; duplicate field names are a parse error, as databind refused them. */
    private static final JsonFactory JSON =
            JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private static final Set<String> JOURNAL_FIELDS =
            Set.of("version", "url", "size", "etag", "lastModified", "chunkSize", "completed", "check");
    private static final Set<String> RANGE_FIELDS = Set.of("offset", "length", "crc32c");

    private JournalJson() {}

    /** Why a document is not a journal; the caller wraps it in {@link JournalCorruptException}. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    static byte[] write(Journal j) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 80 * j.completed().size());
        // a pretty printer keeps state (its nesting level): one per document
        try (JsonGenerator g = JSON.createGenerator(out).setPrettyPrinter(new DefaultPrettyPrinter())) {
            g.writeStartObject();
            g.writeNumberField("version", j.version());
            g.writeStringField("url", j.url());
            g.writeNumberField("size", j.size());
            g.writeStringField("etag", j.etag());
            g.writeStringField("lastModified", j.lastModified());
            g.writeNumberField("chunkSize", j.chunkSize());
            g.writeArrayFieldStart("completed");
            for (CompletedRange c : j.completed()) {
                g.writeStartObject();
                g.writeNumberField("offset", c.offset());
                g.writeNumberField("length", c.length());
                g.writeStringField("crc32c", c.crc32c());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("check", j.check());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toByteArray();
    }

    static Journal read(byte[] bytes) throws MalformedException {
        try (JsonParser p = JSON.createParser(bytes)) {
            p.nextToken();
            Map<String, Object> o = object(p, "the journal", JOURNAL_FIELDS);
            if (p.nextToken() != null) {
                throw new MalformedException("trailing content after the journal");
            }
            long version = (Long) o.get("version");
            if (version != (int) version) {
                throw new MalformedException("'version' " + version + " is out of range");
            }
            @SuppressWarnings("unchecked")
            List<CompletedRange> completed = (List<CompletedRange>) o.get("completed");
            return new Journal((int) version, (String) o.get("url"), (Long) o.get("size"), (String) o.get("etag"),
                    (String) o.get("lastModified"), (Long) o.get("chunkSize"), completed, (String) o.get("check"));
        } catch (JsonProcessingException e) { // not JSON, a duplicate field, an integer beyond a long
            String at = e.getLocation() == null ? "" : " at " + e.getLocation().offsetDescription();
            throw new MalformedException(e.getOriginalMessage() + at);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
    }

    /** The object at the parser's current token, each field's value read as its name says ({@link #value}). */
    private static Map<String, Object> object(JsonParser p, String what, Set<String> fields)
            throws IOException, MalformedException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new MalformedException(what + " is not an object");
        }
        Map<String, Object> o = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) { // the parser itself ensures END_OBJECT after the loop
            String name = p.currentName();
            if (!fields.contains(name)) {
                throw new MalformedException("unknown field '" + name + "' in " + what);
            }
            p.nextToken();
            o.put(name, value(p, name));
        }
        for (String field : fields) {
            if (!o.containsKey(field)) {
                throw new MalformedException("missing field '" + field + "' in " + what);
            }
        }
        return o;
    }

    private static Object value(JsonParser p, String field) throws IOException, MalformedException {
        return switch (field) {
            case "completed" -> completed(p);
            case "url", "etag", "lastModified", "check", "crc32c" -> {
                if (p.currentToken() != JsonToken.VALUE_STRING && p.currentToken() != JsonToken.VALUE_NULL) {
                    throw new MalformedException("'" + field + "' is not a string");
                }
                yield p.getValueAsString(); // null for VALUE_NULL
            }
            default -> { // version, size, chunkSize, offset, length
                if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                    throw new MalformedException("'" + field + "' is not an integer");
                }
                yield p.getLongValue();
            }
        };
    }

    private static List<CompletedRange> completed(JsonParser p) throws IOException, MalformedException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new MalformedException("'completed' is not an array");
        }
        List<CompletedRange> ranges = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) { // the end of input inside the array is a parse error
            Map<String, Object> r = object(p, "a completed range", RANGE_FIELDS);
            ranges.add(new CompletedRange((Long) r.get("offset"), (Long) r.get("length"), (String) r.get("crc32c")));
        }
        return ranges;
    }
}
