/** A local calendar day as `YYYY-MM-DD`: what day separators compare and carry in their `time[datetime]`. */
export function dayKey(at: Date): string {
  return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, "0")}-${String(at.getDate()).padStart(2, "0")}`;
}

/** One row of the message list as the day layout sees it: its day (none for a message without a time), shown or not. */
export interface DayRow {
  day: string | undefined;
  hidden: boolean;
}

/**
 * Where day separators go in a list that may hide rows (another conversation's messages while one is chosen): before
 * every shown row whose day differs from the shown row above it, so each shown run of a day has exactly one separator
 * and no separator stands above rows that are all hidden. Returns the indexes of the rows that get one.
 */
export function separatorsBefore(rows: readonly DayRow[]): number[] {
  const before: number[] = [];
  let shownDay: string | undefined;
  rows.forEach((row, index) => {
    if (row.hidden || row.day === undefined) {
      return;
    }
    if (row.day !== shownDay) {
      before.push(index);
      shownDay = row.day;
    }
  });
  return before;
}
