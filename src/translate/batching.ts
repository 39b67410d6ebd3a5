/**
 * Splitting one audience's segments into provider requests, only where a limit demands it: DeepL
 * takes at most 50 texts and a 128 KiB body per request, and deepl-node sends what it is given.
 * Sizes are counted as deepl-node sends them (form-urlencoded, `text=` repeated). Pure.
 */
export const REQUEST_LIMITS = { maxTexts: 50, maxBodyBytes: 128 * 1024 } as const;

/** Room left for the other parameters (target_lang, context is counted separately, …). */
const OVERHEAD_BYTES = 1024;

export const formBytes = (s: string) => Buffer.byteLength(encodeURIComponent(s)) + 6; // "&text="

/** Groups of indexes into `texts`, in order; a single text too large for any request is an error. */
export function batchTexts(texts: readonly string[], contextBytes: number, limits = REQUEST_LIMITS): number[][] {
  const budget = limits.maxBodyBytes - OVERHEAD_BYTES - contextBytes;
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  texts.forEach((text, i) => {
    const size = formBytes(text);
    if (size > budget) throw new RangeError(`segment ${i} is ${size} bytes encoded, more than one request may carry (${budget})`);
    if (current.length === limits.maxTexts || bytes + size > budget) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(i);
    bytes += size;
  });
  if (current.length) batches.push(current);
  return batches;
}

/** At most `limit` tasks at once across every caller that shares it (requests in flight). */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next task
      else this.active--;
    }
  }
}
