package io.runsweep.sql;

import java.util.regex.Pattern;

/**
 * Names that come from configuration reach SQL only through here: checked against a strict pattern,
 * then always double-quoted, so a name can neither inject SQL nor change case behind the user's back.
 */
public final class Identifiers {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    private Identifiers() {}

    public static boolean isValid(String name) {
        return name != null && name.length() <= 63 && NAME.matcher(name).matches();
    }

    public static String requireValid(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("not a valid identifier: '" + name + "'");
        }
        return name;
    }

    public static String quote(String name) {
        return '"' + requireValid(name) + '"';
    }
}
