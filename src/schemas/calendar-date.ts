import { z } from 'zod';

/**
 * A calendar date as written in content, `YYYY-MM-DD`. YAML turns unquoted dates into
 * JavaScript `Date`s at midnight UTC; both forms are accepted and normalised to the string,
 * because legal dates are days, not instants, and must never shift with a time zone.
 */
export const CalendarDateSchema = z
  .union([z.string(), z.date()], { error: (issue) => (issue.input === undefined ? 'missing (expected a date, YYYY-MM-DD)' : undefined) })
  .transform((value, ctx) => {
    const text = value instanceof Date ? value.toISOString().slice(0, 10) : value;
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    const day = match ? new Date(Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!)) : undefined;
    if (!day || day.toISOString().slice(0, 10) !== text) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not a calendar date (expected YYYY-MM-DD)` });
      return z.NEVER;
    }
    return text;
  });
