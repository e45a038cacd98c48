import { describe, expect, it } from 'vitest';
import { matrixColumnGroups } from '../src/lib/matrix-columns.ts';

const numbers = (count: number) => Array.from({ length: count }, (_, index) => index + 1);

describe('matrix columns split into tables that fit the screen', () => {
  it('keeps up to the limit in one table', () => {
    expect(matrixColumnGroups(numbers(11), 11)).toEqual([numbers(11)]);
    expect(matrixColumnGroups(numbers(1), 11)).toEqual([[1]]);
  });

  it('splits more into the fewest near-equal tables, in order', () => {
    expect(matrixColumnGroups(numbers(12), 11)).toEqual([[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12]]);
    expect(matrixColumnGroups(numbers(13), 11).map((group) => group.length)).toEqual([7, 6]);
    expect(matrixColumnGroups(numbers(23), 11).map((group) => group.length)).toEqual([8, 8, 7]);
  });

  it('never puts more than the limit in a table and loses no column', () => {
    for (const count of [0, 5, 22, 100, 1000]) {
      const groups = matrixColumnGroups(numbers(count), 11);
      expect(groups.flat()).toEqual(numbers(count));
      expect(Math.max(0, ...groups.map((group) => group.length))).toBeLessThanOrEqual(11);
      expect(groups.every((group) => group.length > 0)).toBe(true);
    }
  });
});
