// Reading a request body within a size limit, shared by the local API Gateway (10 MB) and the local
// Cognito (1 MB): both answer 413 to a larger body, and tell that case from other failures by BodyTooLarge.
import type { IncomingMessage } from 'node:http';

export class BodyTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`the request body is over ${limitBytes} bytes`);
    this.name = 'BodyTooLarge';
  }
}

/**
 * The whole body; rejects with BodyTooLarge once a declared Content-Length or the bytes received pass
 * `limitBytes`. The rest is drained rather than the socket destroyed, so the caller can still send its 413.
 */
export function readBodyWithin(incoming: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    if (Number(incoming.headers['content-length']) > limitBytes) {
      incoming.resume();
      reject(new BodyTooLarge(limitBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        incoming.removeAllListeners('data');
        incoming.resume();
        reject(new BodyTooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    });
    incoming.on('end', () => resolve(Buffer.concat(chunks)));
    incoming.on('error', reject);
  });
}
