import { z } from 'zod';

/**
 * The literal an author writes where the AVV says nothing about a fact: `not-stated`.
 *
 * Why a literal and not an optional field: a field the author forgot must still be an error
 * (with the hint to write `not-stated`), while a field the author checked and found absent in
 * the AVV is published as "in der AVV nicht angegeben" / "not stated in the AVV". An optional
 * field cannot tell the two apart, and a required one forces the author to invent a value.
 */
export const NOT_STATED = 'not-stated' as const;
export type NotStated = typeof NOT_STATED;

export const NotStatedSchema = z.literal(NOT_STATED);

/** The hint every "missing" message of a field that accepts `not-stated` carries. */
export const NOT_STATED_HINT = 'write `not-stated` if the AVV does not say';

/**
 * A fact the AVV may or may not state: either a value of `schema` or the literal `not-stated`.
 * A missing field is reported as "missing: write `not-stated` if the AVV does not say".
 */
export function statedOr<T extends z.ZodType>(schema: T) {
  return z.union([NotStatedSchema, schema], {
    error: (issue) => (issue.input === undefined ? `missing: ${NOT_STATED_HINT}` : undefined),
  });
}

/** True when the AVV states the fact (narrows away `not-stated`). */
export function isStated<T>(value: T | NotStated): value is Exclude<T, NotStated> {
  return value !== NOT_STATED;
}
