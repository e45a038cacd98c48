import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { noticeMail } from '../functions/notices/notice-content.ts';
import type { Manifest } from '../src/domain/manifest.ts';
import { publishedNoticeEvents } from '../src/domain/notice-events.ts';
import { contractNamesIn, dpaContext } from './support/contract-names.ts';

/*
 * Every English surface the build writes — pages, the three feeds, the calendar — and every
 * English notice mail composed from the built manifest name the contract one way: "AVV".
 * Runs on the shared test build (dist/, built by the worker project's global setup).
 */
const client = path.resolve('dist/client');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/** The text a reader sees: tags dropped, the few entities the renderer writes decoded. */
function readable(markup: string): string {
  return markup
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/**
 * English text of a content file that a published document state holds (content/published-states.json):
 * it cannot change without changing what customers were offered, so it is the one place a
 * vendor's own earlier wording may stay. Each such text is listed, so a new "DPA" anywhere
 * else still fails.
 */
async function lockedVendorTexts(): Promise<string[]> {
  const lock = JSON.parse(await readFile('content/published-states.json', 'utf8')) as { states: { parts: Record<string, string> }[] };
  const lockedFiles = new Set(lock.states.flatMap((state) => Object.keys(state.parts)));
  const texts: string[] = [];
  for (const file of lockedFiles) {
    if (!file.endsWith('.yaml')) continue;
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          if (key === 'en' && typeof inner === 'string' && contractNamesIn(inner).includes('DPA')) texts.push(inner);
          else walk(inner);
        }
      }
    };
    walk(parseYaml(await readFile(path.join('content', file), 'utf8')));
  }
  return texts;
}

describe('English surfaces of the build name the contract "AVV" only', () => {
  it('pages, feeds and calendar', async () => {
    const locked = await lockedVendorTexts();
    const files = (await filesUnder(path.join(client, 'en'))).filter((file) => /\.(html|atom|rss|json|ics)$/.test(file));
    expect(files.some((file) => file.endsWith('changes.atom'))).toBe(true);
    expect(files.some((file) => file.endsWith('calendar.ics'))).toBe(true);
    const offending: string[] = [];
    let naming = 0;
    for (const file of files) {
      // iCalendar folds long lines (RFC 5545 § 3.1): unfold before reading words.
      let text = (await readFile(file, 'utf8')).replace(/\r?\n[ \t]/g, '');
      text = file.endsWith('.html') ? readable(text) : text;
      for (const vendorText of locked) text = text.split(vendorText).join(' ');
      const names = contractNamesIn(text);
      if (names.includes('AVV')) naming++;
      if (names.includes('DPA')) offending.push(`${path.relative(client, file)}: …${dpaContext(text)}…`);
    }
    expect(offending).toEqual([]);
    // Most English pages name the contract (navigation, footer): the check read real text.
    expect(naming).toBeGreaterThan(files.length / 2);
  });

  it('the governing provision and the governing version sit side by side under one name', async () => {
    const page = readable(await readFile(path.join(client, 'en/changes/2026-11-ki-funktionen-sprachraum/index.html'), 'utf8'));
    expect(page).toContain('Governing provision');
    expect(page).toContain('§ 7 Abs. 3 bis 6 of AVV 2.0');
    expect(page).toMatch(/Governing AVV version/);
  });

  it('notice mails in English', async () => {
    const manifest = JSON.parse(await readFile(path.join(client, 'manifest.json'), 'utf8')) as Manifest;
    const events = publishedNoticeEvents(manifest, '2026-11-23');
    expect(new Set(events.map((event) => event.topic))).toEqual(new Set(['subprocessor-changes', 'avv-versions', 'toms-updates']));
    for (const event of events) {
      const mail = noticeMail(manifest, event, { lang: 'en', receivedOn: '2026-11-23', objectionDeadline: null });
      const text = `${mail.subject}\n${mail.textHead}`;
      expect(contractNamesIn(text), `${event.id}: …${dpaContext(text)}…`).not.toContain('DPA');
    }
  });
});
