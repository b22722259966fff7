import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies the SQLite write-ahead log back into the database file from a worker thread.
 *
 * By default SQLite does this in the commit that pushes the log past 1,000 pages, and with
 * `synchronous = NORMAL` that checkpoint syncs the file twice: the unlucky request waits for both,
 * and on a virtual disk that costs more than the writes themselves (intake of work orders ran
 * three times faster without it). Here a second connection runs a PASSIVE checkpoint every
 * `intervalMs` on its own thread: it never blocks the writer or readers, and the event loop never
 * waits for the disk. The main connection keeps a large automatic checkpoint as a backstop, should
 * this thread fall behind or stop.
 */
export class SqliteCheckpointer {
  private readonly worker: Worker;
  private stopped: Promise<void> | null = null;
  private exited = false;
  /** Checkpoints run and the last error, if any (for tests and diagnostics). */
  readonly stats = { runs: 0, lastError: null as string | null };

  constructor(file: string, intervalMs = 250) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, intervalMs } });
    this.worker.on('message', (m: { ran?: boolean; error?: string }) => {
      if (m.ran) this.stats.runs++;
      if (m.error) this.stats.lastError = m.error;
    });
    this.worker.on('error', (err) => {
      this.stats.lastError = err.message;
      console.error(`SQLite checkpoint thread stopped: ${err.message} (the commits' own checkpoint takes over)`);
    });
    this.worker.once('exit', () => (this.exited = true));
    // A checkpointer alone must not keep the process running.
    this.worker.unref();
  }

  /** Stops the thread after its current checkpoint; its connection is closed. */
  stop(): Promise<void> {
    if (this.exited) return Promise.resolve();
    this.stopped ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => void this.worker.terminate(), 5_000);
      timer.unref();
      this.worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      // Waiting for the thread must keep the process alive until it has closed its connection.
      this.worker.ref();
      // (A thread stuck in a long checkpoint is ended after 5 s.)
      this.worker.postMessage('stop');
    });
    return this.stopped;
  }
}

// Plain CommonJS run with `eval`: no TypeScript loader is needed in the thread.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
// Never wait for a lock: a checkpoint that cannot run now runs at the next tick.
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ran: true });
  } catch (err) {
    if (err && err.code !== 'SQLITE_BUSY') parentPort.postMessage({ error: String(err.message || err) });
  }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  try { db.close(); } catch {}
  parentPort.close();
});
`;
