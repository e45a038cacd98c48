import { rm } from 'node:fs/promises';
import path from 'node:path';

/** tests/.tmp holds the node tests' build outputs and content copies; each run starts empty. */
const scratch = path.resolve(import.meta.dirname, '../.tmp');

export default async function setup(): Promise<() => Promise<void>> {
  await rm(scratch, { recursive: true, force: true });
  return () => rm(scratch, { recursive: true, force: true });
}
