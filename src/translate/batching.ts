/**
 * Splitting one audience's segments into provider requests, only where a limit demands it. Each
 * provider states its limits (DeepL: 50 texts and a 128 KiB form-encoded body; Google: 1,024 texts
 * and 30,000 code points) and how a text is measured against them. Pure.
 */
export interface RequestLimits {
  maxTexts: number;
  /** In the unit of `size`, for the texts and the context together. */
  maxSize: number;
  /** A text's size as the provider counts it. */
  size(text: string): number;
  /** Whether the context travels with every request (and so counts against maxSize). */
  sendsContext: boolean;
}

/** A text form-encoded, as deepl-node sends it (`text=` repeated). */
export const formBytes = (s: string) => Buffer.byteLength(encodeURIComponent(s)) + 6; // "&text="

export const codePoints = (s: string) => [...s].length;

/** What a provider that states nothing is sent at once. */
export const DEFAULT_LIMITS: RequestLimits = { maxTexts: 50, maxSize: 30_000, size: codePoints, sendsContext: false };

/** Groups of indexes into `texts`, in order; a single text too large for any request is an error. */
export function batchTexts(texts: readonly string[], context: string, limits: RequestLimits = DEFAULT_LIMITS): number[][] {
  const budget = limits.maxSize - (limits.sendsContext && context ? limits.size(context) : 0);
  const batches: number[][] = [];
  let current: number[] = [];
  let size = 0;
  texts.forEach((text, i) => {
    const n = limits.size(text);
    if (n > budget) throw new RangeError(`segment ${i} is ${n} long as the provider counts it, more than one request may carry (${budget})`);
    if (current.length === limits.maxTexts || size + n > budget) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(i);
    size += n;
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
