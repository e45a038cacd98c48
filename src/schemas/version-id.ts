import { z } from 'zod';

/**
 * A version id as written in content, e.g. "2.0" or "2026-03": a string, used in URLs and
 * stored with every acceptance. YAML reads an unquoted `1.0` as the number 1, which would turn
 * version "1.0" into "1"; the message says to quote it instead of guessing.
 */
export const VersionIdSchema = z
  .string({ error: (issue) => (typeof issue.input === 'number' ? `write the version in quotes, e.g. version: "${Number.isInteger(issue.input) ? `${issue.input}.0` : issue.input}" (YAML reads an unquoted number and drops ".0")` : undefined) })
  .regex(/^[0-9A-Za-z][0-9A-Za-z.-]*$/, 'expected a version id such as "2.0" or "2026-03"');
