/**
 * The matrix has a column per subprocessor, so its width grows with the content. At most this
 * many columns go into one table (what fits a 1280 px screen with the example content, checked
 * by tests/layout.e2e.test.ts); more are split into tables of near-equal size one below the
 * other, so no screen ever has to scroll the matrix sideways, however many subprocessors there are.
 */
export const MATRIX_COLUMNS_PER_TABLE = 11;

/** `columns` in order, split into the fewest groups of at most `perTable`, as even as possible (13 → 7 + 6, not 11 + 2). */
export function matrixColumnGroups<T>(columns: readonly T[], perTable: number = MATRIX_COLUMNS_PER_TABLE): T[][] {
  if (columns.length === 0) return [];
  const groups = Math.ceil(columns.length / perTable);
  const size = Math.ceil(columns.length / groups);
  return Array.from({ length: groups }, (_, index) => columns.slice(index * size, (index + 1) * size));
}
