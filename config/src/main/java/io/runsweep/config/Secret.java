package io.runsweep.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A password: its value is never part of {@link #toString()}, so it cannot slip into a log line. */
public final class Secret {
    public static final String MASK = "****";

    // Greedy to the last '@': a password with an unencoded '@' is masked whole. The cost is that an
    // odd URL with '@' further on is masked more than it needs to be, which only hides text.
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("(//[^/:@]*:).*@");
    /** Any parameter whose name says it holds a secret: password, sslpassword, sslKeyStorePassword, ... */
    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("([?&;][A-Za-z0-9_.-]*(?i:password|passwd|pwd|secret|token)=)[^&;]*");

    private final String value;

    public Secret(String value) {
        this.value = value;
    }

    public String reveal() {
        return value;
    }

    /**
     * The URL with any password in it replaced by {@link #MASK}: the one in {@code user:password@host}
     * (SQLAlchemy and URI form) and every password-like parameter ({@code password=}, {@code sslpassword=},
     * ...: JDBC form). For every message and
     * display that shows a database URL.
     */
    public static String maskUrl(String url) {
        // Parameters first, so that an '@' inside a password parameter cannot pass for the userinfo's end.
        String masked = PASSWORD_PARAMETER.matcher(url).replaceAll("$1" + Matcher.quoteReplacement(MASK));
        return USERINFO_PASSWORD.matcher(masked).replaceFirst("$1" + Matcher.quoteReplacement(MASK) + "@");
    }

    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
