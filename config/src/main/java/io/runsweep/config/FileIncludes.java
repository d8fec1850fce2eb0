package io.runsweep.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * {@code include} in a user's file. Typesafe Config resolves {@code include "x.conf"} against the including
 * file's folder only when that file was named with a folder (a bare {@code --config milvd.conf} has none), then
 * falls back to the class path, and skips a file it cannot find without a word: a configuration could lose the
 * lines that name its database and go elsewhere. Here every include, {@code include "x.conf"} and
 * {@code include file("x.conf")} alike, is read from the folder of the file that includes it, and a missing one
 * is an error at the line of its {@code include}.
 */
final class FileIncludes implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL, ConfigIncluderClasspath {
    private final Deque<Path> including = new ArrayDeque<>();

    private FileIncludes(Path root) {
        including.push(root);
    }

    /** How a user's file is parsed: it must exist, HOCON, its includes read by this class. */
    static ConfigParseOptions options(Path file) {
        return ConfigParseOptions.defaults()
                .setAllowMissing(false)
                .setSyntax(ConfigSyntax.CONF)
                .setIncluder(new FileIncludes(file.toAbsolutePath().normalize()));
    }

    @Override
    public ConfigIncluder withFallback(ConfigIncluder fallback) {
        return this;
    }

    @Override
    public ConfigObject include(ConfigIncludeContext context, String what) {
        return includeFile(context, new File(what));
    }

    @Override
    public ConfigObject includeFile(ConfigIncludeContext context, File what) {
        Path from = including.peek();
        Path target = existing(from.resolveSibling(what.toPath()).normalize());
        if (!Files.isRegularFile(target)) {
            throw new ConfigException.IO(
                    includeLine(from, what.toString()),
                    "include \"" + what + "\": no such file " + target
                            + " (an include is read from the folder of the file that includes it)");
        }
        including.push(target);
        try {
            return ConfigFactory.parseFile(
                            target.toFile(),
                            context.parseOptions().setAllowMissing(false).setSyntax(ConfigSyntax.CONF))
                    .root();
        } finally {
            including.pop();
        }
    }

    /** {@code include "x"} without an extension means {@code x.conf}, as Typesafe Config reads it. */
    private static Path existing(Path target) {
        Path conf = target.resolveSibling(target.getFileName() + ".conf");
        return !Files.exists(target) && !target.getFileName().toString().contains(".") && Files.exists(conf)
                ? conf
                : target;
    }

    @Override
    public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
        throw unsupported("url(" + what + ")");
    }

    @Override
    public ConfigObject includeResources(ConfigIncludeContext context, String what) {
        throw unsupported("classpath(\"" + what + "\")");
    }

    private ConfigException unsupported(String what) {
        return new ConfigException.BadValue(
                includeLine(including.peek(), what),
                "include",
                "include " + what + " is not supported: include files, by a path relative to the including file");
    }

    /** The line of the include statement that names {@code what}, for the message's "file: line". */
    private static ConfigOrigin includeLine(Path file, String what) {
        ConfigOrigin origin = ConfigOriginFactory.newFile(file.toString());
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.contains("include") && line.contains(what)) {
                    return origin.withLineNumber(i + 1);
                }
            }
        } catch (IOException e) {
            // the file was just parsed; without its text the message names the file alone
        }
        return origin;
    }
}
