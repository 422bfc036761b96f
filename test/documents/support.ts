import type TestAgent from 'supertest/lib/agent.js';
import pdf from 'pdf-parse/lib/pdf-parse.js';

/** A PDF answer read back as text (pdf-parse), whitespace normalised (no-break spaces and line breaks become spaces). */
export interface PdfAnswer {
  status: number;
  headers: Record<string, string>;
  bytes: Buffer;
  text: string;
  pages: number;
}

export const normalise = (text: string) => text.replace(/[\s\u00a0\u202f]+/g, ' ').trim();

export async function fetchPdf(agent: TestAgent, path: string): Promise<PdfAnswer> {
  const response = await agent
    .get(path)
    .buffer(true)
    .parse((res, callback) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => callback(null, Buffer.concat(chunks)));
    });
  const bytes = response.body as Buffer;
  const headers = response.headers as Record<string, string>;
  if (response.status !== 200 || !String(headers['content-type']).startsWith('application/pdf')) {
    return { status: response.status, headers, bytes, text: '', pages: 0 };
  }
  const parsed = await pdf(bytes);
  return { status: response.status, headers, bytes, text: normalise(parsed.text), pages: parsed.numpages };
}
