// The audit's second thread: it walks the repository and reads the files while the audit's own
// thread decodes and prefilters what it has already received. It imports nothing but the walk, so it
// starts in a few tens of milliseconds, not the half second TypeScript takes to load.
import { parentPort, workerData } from 'node:worker_threads';
import { discoverAndRead, type ReadOutcome, type ReadRequest, type ReadSummary } from './read-files.js';

/** What the worker posts: batches of files, then the walk's summary or the error that ended it. */
export type ReadMessage = { batch: ReadOutcome[] } | { done: ReadSummary } | { error: string };

const port = parentPort!;
try {
  const done = await discoverAndRead(workerData as ReadRequest, (batch) => {
    // The bytes are moved, not copied, to the receiving thread, which decodes them again: that is
    // cheaper than copying the text.
    const sent = batch.map((outcome) => ('bytes' in outcome ? { ...outcome, text: undefined } : outcome));
    const transfer = batch.flatMap((outcome) => ('bytes' in outcome ? [outcome.bytes.buffer as ArrayBuffer] : []));
    port.postMessage({ batch: sent } satisfies ReadMessage, transfer);
  });
  port.postMessage({ done } satisfies ReadMessage);
} catch (error) {
  port.postMessage({ error: (error as Error).stack ?? String(error) } satisfies ReadMessage);
}
