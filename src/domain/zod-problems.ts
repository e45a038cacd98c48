import type { z } from 'zod';
import { NOT_STATED } from '../schemas/not-stated.ts';

/**
 * Turns zod issues into messages an author can act on, one per field: union noise ("Did not
 * match union", "Invalid input") is resolved to the branch that fits the input, a missing field
 * says "missing", and fields of the first content format say what replaces them.
 * Pure: no I/O.
 */

/** One problem inside a file, before the file name is attached. */
export interface FieldProblem {
  /** Field path as printed. Example: "changeRules[0].responsePeriod.unit". Empty for the whole file. */
  field: string;
  message: string;
}

type Issue = z.core.$ZodIssue;
type Path = ReadonlyArray<PropertyKey>;

/** Fields of the first content format renamed in the second: the report names only the old one. */
const RENAMED_KEYS: Record<string, string> = { group: 'groups' };

/** Fields of the first content format, or common slips, and what to write instead. */
const KEY_HINTS: Record<string, string> = {
  group: 'the first format\'s `group` is now `groups`, a list, because a subprocessor may be in several groups: write `groups: [<the group>]`',
  objectionPeriod: '`objectionPeriod` belongs in a change rule as `responsePeriod` (see changeRules)',
  rules: '`rules` (holidayRegion, shiftToNextWorkingDay) now sit on each period of a change rule',
  noticeWording: '`noticeWording` is now `wording` on the period it describes',
  objectionConsequence: '`objectionConsequence` is now `consequence` on the change rule',
  acknowledgements: 'the field is called `acknowledgedFindings`',
  acknowledged: 'the field is called `acknowledgedFindings`',
};

/** "changeRules[0].form" from ["changeRules", 0, "form"]. */
export function formatPath(path: Path): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text;
}

/** How a zod type name reads in a message. */
const TYPE_WORDS: Record<string, string> = { array: 'a list', object: 'an object (fields)', string: 'text', number: 'a number', boolean: 'true or false', date: 'a date' };

function describeInput(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (input instanceof Date) return `the date ${input.toISOString().slice(0, 10)}`;
  if (typeof input === 'object') return 'an object';
  return JSON.stringify(input);
}

/** True for the branch of `statedOr` that only says "expected not-stated". */
function isNotStatedBranch(issues: readonly Issue[]): boolean {
  return issues.length === 1 && issues[0]!.code === 'invalid_value' && issues[0]!.path.length === 0 && (issues[0] as { values: unknown[] }).values.includes(NOT_STATED);
}

/** A branch that failed on the input's type at its root is the wrong branch for this input. */
function failedOnType(issues: readonly Issue[]): boolean {
  return issues.some((issue) => issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_value'));
}

function unionProblems(issue: Extract<Issue, { code: 'invalid_union' }>, prefix: Path, input: unknown): FieldProblem[] {
  const path = [...prefix, ...issue.path];
  // A message set on the union itself (e.g. "missing: write `not-stated` …") wins.
  if (issue.message && issue.message !== 'Invalid input') return [{ field: formatPath(path), message: issue.message }];
  const branches = issue.errors.filter((branch) => !isNotStatedBranch(branch));
  const allowsNotStated = branches.length < issue.errors.length;
  const fitting = branches.filter((branch) => !failedOnType(branch));
  if (fitting.length > 0) return fitting[0]!.flatMap((inner) => issueProblems(inner, path, input));
  if (branches.length === 1) {
    // The input has the wrong type for the only real branch: say what is expected, and that
    // `not-stated` is allowed.
    const root = branches[0]!.find((inner) => inner.path.length === 0 && inner.code === 'invalid_type') as { expected?: string } | undefined;
    const expected = root?.expected ? TYPE_WORDS[root.expected] ?? `a ${root.expected}` : 'another value';
    return [{ field: formatPath(path), message: `expected ${allowsNotStated ? `\`${NOT_STATED}\` or ` : ''}${expected}, got ${describeInput(input)}` }];
  }
  if (input === undefined) {
    // Left out: name what would have been accepted rather than call "undefined" a wrong form.
    const expected = [...new Set(branches.flatMap((branch) => branch.flatMap((inner) => (inner.path.length === 0 && inner.code === 'invalid_type' ? [TYPE_WORDS[inner.expected] ?? `a ${inner.expected}`] : []))))];
    return [{ field: formatPath(path), message: expected.length > 0 ? `missing (expected ${expected.join(' or ')})` : 'missing' }];
  }
  return [{ field: formatPath(path), message: `${describeInput(input)} is none of the accepted forms` }];
}

function issueProblems(issue: Issue, prefix: Path, root: unknown): FieldProblem[] {
  const path = [...prefix, ...issue.path];
  const field = formatPath(path);
  switch (issue.code) {
    case 'invalid_union':
      return unionProblems(issue, prefix, issue.input ?? valueAt(root, path));
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const keyPath = formatPath([...path, key]);
        return { field: keyPath, message: KEY_HINTS[key] ?? 'unknown field: check the spelling against the README\'s content reference, or remove it' };
      });
    case 'invalid_type':
      if (issue.input === undefined && !/^missing/.test(issue.message)) {
        return [{ field, message: issue.message.startsWith('Invalid input') ? `missing (expected ${TYPE_WORDS[issue.expected] ?? issue.expected})` : issue.message }];
      }
      if (issue.message.startsWith('Invalid input')) return [{ field, message: `expected ${TYPE_WORDS[issue.expected] ?? `a ${issue.expected}`}, got ${describeInput(issue.input)}` }];
      return [{ field, message: issue.message }];
    case 'invalid_value':
      if (issue.message.startsWith('Invalid option') || issue.message.startsWith('Invalid input')) {
        return [{ field, message: `expected ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((value) => String(value)).join(', ')}`}, got ${describeInput(issue.input ?? valueAt(root, path))}` }];
      }
      return [{ field, message: issue.message }];
    default:
      return [{ field, message: issue.message }];
  }
}

function valueAt(root: unknown, path: Path): unknown {
  let value = root;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part as string];
  }
  return value;
}

/** Every problem of one parsed file, one per field, in the order zod found them. */
export function zodProblems(error: z.ZodError, input: unknown): FieldProblem[] {
  const problems = error.issues.flatMap((issue) => issueProblems(issue, [], input));
  // "groups: missing" next to "group: is now groups" would name the same fix twice.
  const renamedTo = new Set(
    error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys' ? issue.keys.filter((key) => RENAMED_KEYS[key]).map((key) => formatPath([...issue.path, RENAMED_KEYS[key]!])) : [],
    ),
  );
  const seen = new Set<string>();
  return problems.filter((problem) => {
    if (renamedTo.has(problem.field) && problem.message.startsWith('missing')) return false;
    const key = `${problem.field}\0${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
