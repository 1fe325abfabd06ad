// A GET whose answer must come within a time and a size, as API Gateway bounds what it reads from an
// issuer (HTTP API quotas: 1,500 ms for the JWKS and the discovery document, 150,000 bytes of JWKS).

/** Why a bounded GET gave nothing: the message names the URL and the bound that was passed. */
export class BoundedFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BoundedFetchError';
  }
}

export interface Bounds {
  timeoutMs: number;
  maxBytes: number;
}

/**
 * The body of a 2xx answer to GET `url`, whole. Rejects with BoundedFetchError when the answer is not 2xx,
 * does not arrive in full within `timeoutMs`, or passes `maxBytes` (declared or received: reading stops there).
 */
export async function fetchWithin(url: string, bounds: Bounds): Promise<Buffer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), bounds.timeoutMs);
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: controller.signal, redirect: 'error' });
    } catch (error) {
      throw failure(url, bounds, controller, error);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new BoundedFetchError(`${url} answered ${response.status}`);
    }
    if (Number(response.headers.get('content-length')) > bounds.maxBytes) {
      await response.body?.cancel();
      throw tooLarge(url, bounds);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = response.body?.getReader();
    try {
      for (let read = await reader?.read(); read && !read.done; read = await reader?.read()) {
        size += read.value.byteLength;
        if (size > bounds.maxBytes) {
          await reader?.cancel();
          throw tooLarge(url, bounds);
        }
        chunks.push(read.value);
      }
    } catch (error) {
      throw error instanceof BoundedFetchError ? error : failure(url, bounds, controller, error);
    }
    return Buffer.concat(chunks);
  } finally {
    clearTimeout(timer);
  }
}

function failure(url: string, bounds: Bounds, controller: AbortController, error: unknown): BoundedFetchError {
  if (controller.signal.aborted) return new BoundedFetchError(`${url} did not answer within ${bounds.timeoutMs} ms`);
  return new BoundedFetchError(`${url} could not be read: ${error instanceof Error ? error.message : String(error)}`);
}

function tooLarge(url: string, bounds: Bounds): BoundedFetchError {
  return new BoundedFetchError(`${url} answered more than ${bounds.maxBytes} bytes`);
}
