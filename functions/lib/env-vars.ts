/**
 * A positive whole number from a `[vars]` string, or `fallback` when it is unset or not one:
 * a typo in wrangler.toml then keeps the documented default instead of disabling a limit.
 */
export function positiveIntVar(value: string | undefined, fallback: number): number {
  const number = Number(value);
  return Number.isSafeInteger(number) && number > 0 ? number : fallback;
}
