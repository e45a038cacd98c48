import { describe, expect, it } from 'vitest';
import { DeclarationSubmissionSchema } from '../src/domain/declaration-record.ts';

/** The message a client gets for its changeId: "required" only when it is missing. */
function changeIdMessage(changeId: unknown): string | undefined {
  const result = DeclarationSubmissionSchema.safeParse(changeId === undefined ? { kind: 'objection' } : { kind: 'objection', changeId });
  return result.error?.issues.find((issue) => issue.path[0] === 'changeId')?.message;
}

describe('a declaration names its change', () => {
  it('missing or empty is "required"', () => {
    expect(changeIdMessage(undefined)).toBe('required');
    expect(changeIdMessage('')).toBe('required');
  });

  it('a number or another type is named as the wrong kind of value, not as missing', () => {
    expect(changeIdMessage(5)).toBe('expected the id of a published change');
    expect(changeIdMessage(['2026-11-ki-funktionen-sprachraum'])).toBe('expected the id of a published change');
  });

  it('a well-formed id passes the field', () => {
    expect(changeIdMessage('2026-11-ki-funktionen-sprachraum')).toBeUndefined();
  });
});
