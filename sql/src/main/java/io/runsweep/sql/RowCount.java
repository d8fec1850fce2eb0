package io.runsweep.sql;

/**
 * A number of rows, and whether it was counted or is the planner's estimate: a person is told which.
 *
 * @param estimated true when the database estimated it rather than counted
 */
public record RowCount(long rows, boolean estimated) {

    public static RowCount counted(long rows) {
        return new RowCount(rows, false);
    }
}
