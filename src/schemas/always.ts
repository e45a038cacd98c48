/**
 * Option for cross-field refinements: run them even when another field of the object failed,
 * so one run of `npm run check` reports every problem of a file, not the first layer only.
 * Such refinements must therefore only compare fields they have checked the type of.
 */
export const ALWAYS = { when: () => true } as const;
