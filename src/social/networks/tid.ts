/**
 * Bluesky record keys for posts are TIDs: 53 bits of microseconds since 1970 and 10 bits of
 * clock id, in base32-sortable (13 characters). Ours is derived from the post row's creation
 * time and its idempotency key, so every attempt at one post writes the same record key, and a
 * second create cannot become a second post.
 */
import { createHash } from 'node:crypto';

const alphabet = '234567abcdefghijklmnopqrstuvwxyz';

function s32(n: bigint, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = alphabet[Number(n & 31n)]! + out;
    n >>= 5n;
  }
  return out;
}

export function deterministicTid(createdAt: Date, key: string): string {
  const digest = createHash('sha256').update(key).digest();
  const micros = BigInt(createdAt.getTime()) * 1000n + BigInt(digest.readUInt16BE(0) % 1000);
  const clockId = BigInt(digest.readUInt16BE(2) % 1024);
  return s32(micros, 11) + s32(clockId, 2);
}
