// MinHash signatures of 5-character shingles, by one-permutation hashing (Li, Owen & Zhang 2012)
// with rotation densification (Shrivastava & Li 2014): one hash per shingle instead of one per
// shingle and permutation, so a signature costs about as much as reading the text once.

export const SIGNATURE_SIZE = 64;
export const SHINGLE = 5;
const BIN_BITS = 6; // 2^6 = 64 bins
const VALUE_BITS = 32 - BIN_BITS;
const VALUE_MASK = (1 << VALUE_BITS) - 1;
const EMPTY = 2 ** 32;
/** Offset per rotation step, larger than any bin value, so borrowed values stay distinct. */
const ROTATION_STEP = 2 ** VALUE_BITS;

/** murmur3's 32-bit finalizer: spreads similar inputs over all bits. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Signature of `text` (whitespace ignored), or undefined when it is shorter than one shingle.
 * Deterministic: the same text gives the same signature on every machine.
 */
export function minhash(text: string): Float64Array | undefined {
  const chars = text.replace(/\s+/g, '');
  if (chars.length < SHINGLE) return undefined;
  const sig = new Float64Array(SIGNATURE_SIZE).fill(EMPTY);
  for (let i = 0; i + SHINGLE <= chars.length; i++) {
    let h = 0x811c9dc5; // FNV-1a over the shingle's UTF-16 code units
    for (let j = i; j < i + SHINGLE; j++) h = Math.imul(h ^ chars.charCodeAt(j), 0x01000193);
    const mixed = fmix32(h);
    const bin = mixed >>> VALUE_BITS;
    const value = mixed & VALUE_MASK;
    if (value < sig[bin]!) sig[bin] = value;
  }
  // Empty bins borrow from the next non-empty bin to the right, plus an offset per step.
  const filled = Float64Array.from(sig);
  for (let b = 0; b < SIGNATURE_SIZE; b++) {
    if (sig[b] !== EMPTY) continue;
    for (let step = 1; step < SIGNATURE_SIZE; step++) {
      const v = sig[(b + step) % SIGNATURE_SIZE]!;
      if (v !== EMPTY) {
        filled[b] = v + step * ROTATION_STEP;
        break;
      }
    }
  }
  return filled;
}

/** Estimated Jaccard similarity of the two shingle sets: the share of equal signature slots. */
export function similarity(a: Float64Array, b: Float64Array): number {
  let same = 0;
  for (let i = 0; i < SIGNATURE_SIZE; i++) if (a[i] === b[i]) same++;
  return same / SIGNATURE_SIZE;
}

/** Compact, portable text form for the reindex state file. */
export function encodeSignature(sig: Float64Array): string {
  const bytes = Buffer.alloc(SIGNATURE_SIZE * 5);
  for (let i = 0; i < SIGNATURE_SIZE; i++) bytes.writeUIntBE(sig[i]!, i * 5, 5);
  return bytes.toString('base64');
}

export function decodeSignature(text: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== SIGNATURE_SIZE * 5) throw new Error('bad signature length');
  const sig = new Float64Array(SIGNATURE_SIZE);
  for (let i = 0; i < SIGNATURE_SIZE; i++) sig[i] = bytes.readUIntBE(i * 5, 5);
  return sig;
}
