package io.sluice.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Reads and validates YAML configuration into an immutable {@link SluiceConfig}. Either the whole file is
 * valid, or a {@link ConfigException} lists every problem in it, each with its YAML path.
 */
public final class ConfigLoader {

    /** The error path for problems with the file itself rather than anything in it. */
    static final String FILE = "<file>";

    private ConfigLoader() {}

    /** Loads a file; relative TLS paths in it resolve against its directory. Every problem is reported at once. */
    public static SluiceConfig load(Path file) throws ConfigException {
        String source = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw fileError(source, "no such file: " + file.toAbsolutePath());
        } catch (CharacterCodingException e) {
            throw fileError(source, "not UTF-8 text: " + file.toAbsolutePath());
        } catch (IOException e) {
            throw fileError(source, "cannot read " + file.toAbsolutePath() + ": " + e);
        }
        return parse(text, source, file.toAbsolutePath().getParent());
    }

    /**
     * Parses YAML text; {@code source} names it in error messages. Empty text gives the defaults. Relative
     * TLS paths resolve against the working directory, there being no file to be relative to.
     */
    public static SluiceConfig parse(String yaml, String source) throws ConfigException {
        return parse(yaml, source, Path.of("").toAbsolutePath());
    }

    private static SluiceConfig parse(String yaml, String source, Path baseDir) throws ConfigException {
        Objects.requireNonNull(yaml, "yaml");
        Problems problems = new Problems();
        JsonNode tree = YamlTree.read(yaml, problems);
        if (tree == null) {
            throw new ConfigException(source, problems.errors());
        }
        SluiceConfig config = ConfigBinder.bind(tree, baseDir, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems.errors());
        }
        return config;
    }

    private static ConfigException fileError(String source, String message) {
        return new ConfigException(source, List.of(new ConfigError(FILE, message)));
    }
}
