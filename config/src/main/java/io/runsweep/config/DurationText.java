package io.runsweep.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import java.time.Duration;
import java.util.regex.Pattern;

/** A duration typed on the command line, read as the configuration reads one: {@code 30d}, {@code 12h}. */
public final class DurationText {
    private static final Pattern BARE_NUMBER = Pattern.compile("\\s*-?[0-9.]+\\s*");

    private DurationText() {}

    /**
     * @throws IllegalArgumentException with a message for the user, when the text has no unit, is not a duration
     *     or is not more than 0
     */
    public static Duration parsePositive(String text) {
        if (BARE_NUMBER.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' needs a unit, e.g. 30d, 12h, 10s");
        }
        Duration d;
        try {
            d = ConfigFactory.parseString("v = " + ConfigUtil.quoteString(text)).getDuration("v");
        } catch (ConfigException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 30d, 12h, 10s");
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("'" + text + "' must be more than 0");
        }
        return d;
    }

    /** As the configuration writes it: the largest exact unit, {@code 90d}. */
    public static String format(Duration d) {
        return EffectiveConfig.duration(d);
    }
}
