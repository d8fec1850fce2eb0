package io.runsweep.jobs.oracle;

import io.runsweep.sql.DatabaseKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One shape of schema, drawn from a seed: the policy's table {@code p} with its time, fallback time, status and
 * nullable columns (and, for the test's eyes only, {@code truth} and {@code ftruth}: the instants the times were
 * written from, in microseconds), and the tables around it: {@code kid} (ON DELETE CASCADE) with {@code gkid}
 * under it, {@code nul} (ON DELETE SET NULL), {@code blk} (NO ACTION), {@code dep} (no foreign key), and a
 * self-reference {@code p.sp} (SET NULL). Every table exists twice: {@code e_} for the engine, {@code r_} for
 * the plain SQL it is compared with.
 */
record Family(
        DatabaseKind kind,
        long seed,
        String idType,
        String timeType,
        List<Form> forms,
        String statusType,
        boolean fallback,
        boolean selfReference,
        boolean kid,
        boolean grandkid,
        boolean nul,
        boolean blk,
        boolean dep,
        boolean timeIndex,
        boolean statusIndex) {

    static final String ENGINE = "e_";
    static final String REFERENCE = "r_";

    static Family of(DatabaseKind kind, long seed) {
        Random random = new Random(seed);
        String idType;
        String timeType;
        if (kind == DatabaseKind.SQLITE) {
            idType = pick(random, "INTEGER", "BIGINT", "TEXT");
            timeType = pick(random, "DATETIME", "TIMESTAMP", "TEXT", "INTEGER", "");
        } else {
            idType = pick(random, "bigint", "text");
            timeType = pick(random, "timestamptz", "timestamp", "date", "text", "bigint");
        }
        List<Form> allowed = Form.storableIn(kind, timeType);
        List<Form> forms = new ArrayList<>();
        for (Form form : allowed) {
            if (random.nextInt(3) > 0) {
                forms.add(form);
            }
        }
        if (forms.isEmpty()) {
            forms.add(allowed.get(random.nextInt(allowed.size())));
        }
        boolean kid = random.nextInt(3) > 0;
        return new Family(
                kind,
                seed,
                idType,
                timeType,
                List.copyOf(forms),
                random.nextBoolean() ? intType(kind) : textType(kind),
                random.nextBoolean(),
                random.nextInt(3) == 0,
                kid,
                kid && random.nextBoolean(),
                random.nextInt(3) == 0,
                random.nextInt(4) == 0,
                random.nextInt(3) > 0,
                random.nextInt(4) > 0,
                random.nextBoolean());
    }

    boolean textIds() {
        return idType.equalsIgnoreCase("text");
    }

    boolean intStatus() {
        return statusType.equals(intType(kind));
    }

    /** Tables in an order that deletes children before parents. */
    List<String> tables() {
        List<String> tables = new ArrayList<>();
        if (grandkid) {
            tables.add("gkid");
        }
        for (String child : List.of("kid", "nul", "blk", "dep")) {
            if (has(child)) {
                tables.add(child);
            }
        }
        tables.add("p");
        return tables;
    }

    boolean has(String table) {
        return switch (table) {
            case "p" -> true;
            case "kid" -> kid;
            case "gkid" -> grandkid;
            case "nul" -> nul;
            case "blk" -> blk;
            case "dep" -> dep;
            default -> false;
        };
    }

    /** The DDL of one copy of the schema. */
    List<String> ddl(String prefix) {
        String ref = kind == DatabaseKind.SQLITE && idType.equals("INTEGER") ? "INTEGER" : idType;
        String big = kind == DatabaseKind.SQLITE ? "INTEGER" : "bigint";
        String text = textType(kind);
        String p = prefix + "p";
        List<String> ddl = new ArrayList<>();
        ddl.add("CREATE TABLE " + p + " (id " + idType + " PRIMARY KEY, t " + timeType + ", truth " + big
                + (fallback ? ", f " + timeType + ", ftruth " + big : "") + ", s " + statusType + ", n " + text
                + ", pay " + text
                + (selfReference ? ", sp " + ref + " REFERENCES " + p + " (id) ON DELETE SET NULL" : "")
                + ")");
        if (timeIndex) {
            ddl.add("CREATE INDEX " + prefix + "ix_p_t ON " + p + " (t)");
        }
        if (statusIndex) {
            ddl.add("CREATE INDEX " + prefix + "ix_p_s ON " + p + " (s)");
        }
        if (selfReference) {
            ddl.add("CREATE INDEX " + prefix + "ix_p_sp ON " + p + " (sp)");
        }
        if (kid) {
            ddl.add("CREATE TABLE " + prefix + "kid (id " + big + " PRIMARY KEY, ref " + ref + " NOT NULL REFERENCES "
                    + p + " (id) ON DELETE CASCADE)");
            ddl.add("CREATE INDEX " + prefix + "ix_kid_ref ON " + prefix + "kid (ref)");
        }
        if (grandkid) {
            ddl.add("CREATE TABLE " + prefix + "gkid (id " + big + " PRIMARY KEY, kid " + big + " NOT NULL REFERENCES "
                    + prefix + "kid (id) ON DELETE CASCADE)");
            ddl.add("CREATE INDEX " + prefix + "ix_gkid_kid ON " + prefix + "gkid (kid)");
        }
        if (nul) {
            ddl.add("CREATE TABLE " + prefix + "nul (id " + big + " PRIMARY KEY, ref " + ref + " REFERENCES " + p
                    + " (id) ON DELETE SET NULL)");
            ddl.add("CREATE INDEX " + prefix + "ix_nul_ref ON " + prefix + "nul (ref)");
        }
        if (blk) {
            ddl.add("CREATE TABLE " + prefix + "blk (id " + big + " PRIMARY KEY, ref " + ref + " REFERENCES " + p
                    + " (id))");
            ddl.add("CREATE INDEX " + prefix + "ix_blk_ref ON " + prefix + "blk (ref)");
        }
        if (dep) {
            ddl.add("CREATE TABLE " + prefix + "dep (id " + big + " PRIMARY KEY, ref " + ref + ")");
            ddl.add("CREATE INDEX " + prefix + "ix_dep_ref ON " + prefix + "dep (ref)");
        }
        return ddl;
    }

    @Override
    public String toString() {
        return kind + " family " + seed + ": p(id " + idType + ", t " + (timeType.isEmpty() ? "(no type)" : timeType)
                + " in " + forms + (fallback ? ", fallback f" : "") + ", s " + statusType
                + (selfReference ? ", sp SET NULL" : "") + (timeIndex ? ", index on t" : "")
                + (statusIndex ? ", index on s" : "") + ")" + (kid ? ", kid CASCADE" : "")
                + (grandkid ? ", gkid CASCADE" : "") + (nul ? ", nul SET NULL" : "") + (blk ? ", blk NO ACTION" : "")
                + (dep ? ", dep" : "");
    }

    private static String intType(DatabaseKind kind) {
        return kind == DatabaseKind.SQLITE ? "INTEGER" : "integer";
    }

    private static String textType(DatabaseKind kind) {
        return kind == DatabaseKind.SQLITE ? "TEXT" : "text";
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }
}
