import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_BUILD_DATE } from '../src/cli/build.ts';
import { benchSlug, editAnnouncedSubprocessor, generateContent } from '../src/cli/lib/generate-content.ts';
import { checkContentTree } from '../src/lib/content-files.ts';

/**
 * The bench's build content (src/cli/lib/generate-content.ts) must be what a deployment builds:
 * its offered states locked, and the rebuild's edit one the lock lets through.
 */
describe('bench content', () => {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(path.dirname(dir), { recursive: true, force: true })));
  });

  it('is locked like deployed content, and the edit of the announced subprocessor passes the check', async () => {
    const contentDir = await generateContent(3, TEST_BUILD_DATE);
    made.push(contentDir);
    const generated = checkContentTree(contentDir, TEST_BUILD_DATE);
    expect(generated.errors).toEqual([]);
    expect(generated.warnings).toEqual([]);

    const { slug, marker } = await editAnnouncedSubprocessor(contentDir, TEST_BUILD_DATE);
    expect(slug).toBe('sprachraum-ai');
    expect(await readFile(path.join(contentDir, 'subprocessors', `${slug}.yaml`), 'utf8')).toContain(marker);
    expect(checkContentTree(contentDir, TEST_BUILD_DATE).errors).toEqual([]);
  });

  it('would be refused had it edited a listed subprocessor in place', async () => {
    const contentDir = await generateContent(3, TEST_BUILD_DATE);
    made.push(contentDir);
    const file = path.join(contentDir, 'subprocessors', `${benchSlug(1)}.yaml`);
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^(purpose:\n\s+de: ).*$/m, '$1Geänderter Zweck'));
    expect(checkContentTree(contentDir, TEST_BUILD_DATE).errors).toContainEqual(expect.objectContaining({ file: expect.stringContaining(`${benchSlug(1)}.yaml`), rule: 'published-state-changed' }));
  });
});
