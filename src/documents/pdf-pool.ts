import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RenderOptions } from './pdf.ts';
import type { AmendmentDocumentData, DocumentData } from './service.ts';

/**
 * Drawing a convention takes a few hundred milliseconds of processor time per copy. Drawn on the main
 * thread, it would hold up every other request of the process meanwhile; the documents are drawn by a
 * small pool of worker threads instead (one per core but one, left to the requests and the database),
 * started at the first document and queued when all are busy.
 */
export type PdfJob =
  | { kind: 'convention'; data: DocumentData; options: RenderOptions }
  | { kind: 'summary' | 'certificate'; data: DocumentData; options: { printedOn: string } }
  | { kind: 'amendment'; data: AmendmentDocumentData; options: { printedOn: string } };

/** What a thread answers: the document, or why it could not be drawn; and which thread drew it. */
export type PdfAnswer = { bytes: Uint8Array; threadId: number } | { error: string; threadId: number };

export interface RenderedPdf {
  bytes: Buffer;
  threadId: number;
}

interface Pending {
  job: PdfJob;
  resolve(rendered: RenderedPdf): void;
  reject(error: Error): void;
}

/**
 * The thread registers tsx before it loads the TypeScript of the worker, as `node --import tsx` does for
 * the process (Node 20 does not apply `--import` to the threads it starts).
 */
const WORKER_BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./pdf-worker.ts', import.meta.url).href)}); })`;

export class PdfWorkerPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending | null>();
  private readonly queue: Pending[] = [];
  private threads = 0;

  constructor(private readonly size: number) {}

  render(job: PdfJob): Promise<RenderedPdf> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops the threads (those drawing included: their documents fail). */
  async close(): Promise<void> {
    const workers = [...this.idle, ...this.busy.keys()];
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.threads < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const pending = this.queue.shift()!;
      this.busy.set(worker, pending);
      // A thread at work keeps the process alive until it answers; an idle one does not.
      worker.ref();
      try {
        worker.postMessage(pending.job);
      } catch (error) {
        this.answered(worker);
        pending.reject(error as Error);
      }
    }
  }

  /** The thread is free again; returns the request it was serving. */
  private answered(worker: Worker): Pending | null {
    const pending = this.busy.get(worker) ?? null;
    this.busy.delete(worker);
    worker.unref();
    this.idle.push(worker);
    return pending;
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_BOOTSTRAP, { eval: true });
    this.threads += 1;
    worker.on('message', (answer: PdfAnswer) => {
      const pending = this.answered(worker);
      if ('error' in answer) pending?.reject(new Error(`the document could not be drawn: ${answer.error}`));
      else pending?.resolve({ bytes: Buffer.from(answer.bytes.buffer, answer.bytes.byteOffset, answer.bytes.byteLength), threadId: answer.threadId });
      this.dispatch();
    });
    // A thread that dies (an uncaught error, memory) fails its document only; the next one gets a new thread.
    let lost = false;
    const onLost = (error: Error) => {
      if (lost) return;
      lost = true;
      this.threads -= 1;
      const pending = this.busy.get(worker) ?? null;
      this.busy.delete(worker);
      const index = this.idle.indexOf(worker);
      if (index >= 0) this.idle.splice(index, 1);
      pending?.reject(error);
      this.dispatch();
    };
    worker.on('error', onLost);
    worker.on('exit', (code) => onLost(new Error(`the thread drawing documents stopped (exit code ${code})`)));
    return worker;
  }
}

let shared: PdfWorkerPool | undefined;

/** The process's pool, created at the first document. */
export function pdfPool(): PdfWorkerPool {
  shared ??= new PdfWorkerPool(Math.max(1, availableParallelism() - 1));
  return shared;
}
