package io.runsweep.bench.postgresql;

/**
 * Where the seeded rows lie in the heap: the row at position {@code p} is row {@code p * stride mod rows}. A
 * stride of 1 stores the rows in the order they ended; a stride near {@code 0.618 * rows} that shares no
 * factor with {@code rows} visits every row once, each next one far from the last in time, so that every
 * block holds rows of every age.
 */
public record HeapOrder(long rows, long stride) {

    public HeapOrder {
        if (rows < 1 || stride < 1 || gcd(rows, stride) != 1) {
            throw new IllegalArgumentException("heap order: rows=" + rows + ", stride=" + stride);
        }
    }

    public static HeapOrder ordered(long rows) {
        return new HeapOrder(rows, 1);
    }

    public static HeapOrder interleaved(long rows) {
        long stride = Math.max(1, Math.round(rows * 0.6180339887));
        while (gcd(rows, stride) != 1) {
            stride++;
        }
        return new HeapOrder(rows, stride);
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
