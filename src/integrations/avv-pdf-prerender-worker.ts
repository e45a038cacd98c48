import { existsSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { hashAcceptanceDocument } from '../domain/acceptance-document.ts';
import { avvPdfKey, cachedAvvPdf } from '../lib/avv-pdf-cache.ts';
import type { PrerenderInput, PrerenderMessage } from '../lib/avv-pdf-prerender.ts';
import { cachedFile } from '../lib/build-cache.ts';
import { loadContentFiles } from '../lib/content-files.ts';
import { sourceDocumentStates } from '../lib/document-state-fingerprints.ts';
import { documentStateFromCanonical, type DocumentState } from '../lib/document-state.ts';

/*
 * The worker thread of src/integrations/avv-pdf-prerender.ts. It reads content/ itself, with the
 * functions `npm run check` uses, because Astro has loaded no content yet when it starts; it
 * derives the states the lock check derives (the build checks that those are its archive's
 * states) and renders each through the page's own cache function, so a file it leaves is the
 * file the page would have rendered. Plain Node runs it (type stripping), not Vite.
 */

const input = workerData as PrerenderInput;
const post = (message: PrerenderMessage) => parentPort!.postMessage(message);

// No lock check here: the build thread's content check judges the lock, and the states are derived below.
const { fileProblems, source } = loadContentFiles(input.contentDir, input.buildDate, { statesLock: false });
if (fileProblems.length > 0) {
  // Not an error of the worker: the content check prints these problems and stops the build.
  post({ type: 'skipped', reason: 'the content has problems (the content check reports them)' });
} else {
  // The order of data-categories.yaml, as the publication sorts Astro's entries.
  const dataCategories = source.dataCategories.map((entry) => entry.data);
  const states = new Map<string, DocumentState>();
  for (const { document } of sourceDocumentStates(source)) {
    const { canonical, sha256 } = await hashAcceptanceDocument(document);
    // The page renders the state parsed back from its bytes; so does the worker.
    if (!states.has(sha256)) states.set(sha256, await documentStateFromCanonical(sha256, canonical));
  }
  // Oldest first, the order in which the pages ask for them.
  const planned = await Promise.all([...states.values()].map(async (state) => ({ state, key: await avvPdfKey(state, dataCategories) })));
  post({ type: 'planned', keys: planned.map(({ key }) => key) });
  if (input.mode === 'fail') throw new Error('failing on purpose (TRUST_CENTER_PDF_PRERENDER=fail)');
  for (const { state, key } of planned) {
    const cached = existsSync(cachedFile(input.cacheDir, key, 'pdf'));
    // A file already there is what the page reads; reading it here too would only hold its bytes.
    if (!cached) await cachedAvvPdf(state, dataCategories, input.cacheDir);
    post({ type: 'rendered', key, cached });
  }
  const cpu = process.threadCpuUsage();
  post({ type: 'finished', cpuSeconds: (cpu.user + cpu.system) / 1e6 });
}
