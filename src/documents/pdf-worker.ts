import { parentPort, threadId } from 'node:worker_threads';
import { renderAmendment, renderCertificate, renderConvention, renderSummary } from './pdf.ts';
import type { PdfJob, PdfAnswer } from './pdf-pool.ts';
import type { AmendmentDocumentData, DocumentData } from './service.ts';

/**
 * A thread of the pool of pdf-pool.ts: draws the documents it is sent, one at a time. The data arrives
 * as a structured copy, in which the centre's logo is a Uint8Array that PDFKit takes for a Buffer only
 * once wrapped again.
 */
function revived<T extends DocumentData>(data: T): T {
  const logo = data.centre.logo as Uint8Array | null;
  return { ...data, centre: { ...data.centre, logo: logo ? Buffer.from(logo.buffer, logo.byteOffset, logo.byteLength) : null } };
}

function render(job: PdfJob): Promise<Buffer> {
  switch (job.kind) {
    case 'convention':
      return renderConvention(revived(job.data), job.options);
    case 'summary':
      return renderSummary(revived(job.data), job.options);
    case 'certificate':
      return renderCertificate(revived(job.data), job.options);
    case 'amendment':
      return renderAmendment(revived(job.data as AmendmentDocumentData), job.options);
  }
}

parentPort!.on('message', (job: PdfJob) => {
  render(job).then(
    (bytes) => parentPort!.postMessage({ bytes, threadId } satisfies PdfAnswer),
    (error: unknown) => parentPort!.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error), threadId } satisfies PdfAnswer),
  );
});
