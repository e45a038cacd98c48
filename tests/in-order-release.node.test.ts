import { describe, expect, it } from 'vitest';
import { InOrderRelease } from '../src/lib/in-order-release.ts';

function releasing() {
  const released: string[] = [];
  return { released, order: new InOrderRelease<string>((item) => released.push(item)) };
}

describe('InOrderRelease', () => {
  it('releases in position order whatever order items arrive in', () => {
    const { released, order } = releasing();
    order.arrive(2, 'c');
    order.arrive(1, 'b');
    expect(released).toEqual([]);
    order.arrive(0, 'a');
    expect(released).toEqual(['a', 'b', 'c']);
    order.arrive(3, 'd');
    expect(released).toEqual(['a', 'b', 'c', 'd']);
  });

  it('goes on past a skipped position without releasing anything for it', () => {
    const { released, order } = releasing();
    order.arrive(1, 'b');
    order.skip(0);
    order.skip(2);
    order.arrive(3, 'd');
    expect(released).toEqual(['b', 'd']);
  });

  it('the same order for every arrival order of the same items', () => {
    const items = ['a', 'b', 'c', 'd', 'e', 'f'];
    const arrivals = [
      [0, 1, 2, 3, 4, 5],
      [5, 4, 3, 2, 1, 0],
      [3, 0, 5, 1, 4, 2],
    ];
    for (const arrival of arrivals) {
      const { released, order } = releasing();
      for (const position of arrival) order.arrive(position, items[position]!);
      expect(released, arrival.join(',')).toEqual(items);
    }
  });

  it('drain releases what waits behind a position that never came, in order', () => {
    const { released, order } = releasing();
    order.arrive(4, 'e');
    order.arrive(2, 'c');
    order.skip(3);
    order.arrive(0, 'a');
    expect(released).toEqual(['a']);
    order.drain();
    expect(released).toEqual(['a', 'c', 'e']);
    order.drain();
    expect(released).toEqual(['a', 'c', 'e']);
  });

  it('refuses a position twice, a released one, or one that is not a whole number', () => {
    const { order } = releasing();
    order.arrive(0, 'a');
    order.arrive(2, 'c');
    expect(() => order.arrive(0, 'again')).toThrow(/position 0/);
    expect(() => order.skip(2)).toThrow(/position 2/);
    expect(() => order.arrive(-1, 'x')).toThrow(/position -1/);
    expect(() => order.arrive(1.5, 'x')).toThrow(/position 1.5/);
  });
});
