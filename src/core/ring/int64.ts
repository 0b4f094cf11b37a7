/**
 * 64-bit unsigned arithmetic on pairs of 32-bit halves. BigInt allocates and is about a hundred
 * times slower, which matters when placing millions of keys a second. Results land in `r64`
 * (`hi`, `lo`, both unsigned) so nothing is allocated per call.
 */
export const r64 = { hi: 0, lo: 0 };

/** r64 = (ah:al) * (bh:bl) mod 2^64, in 16-bit limbs so every product stays exact in int32/uint32. */
export function mul64(ah: number, al: number, bh: number, bl: number): void {
  const a0 = al & 0xffff, a1 = al >>> 16;
  const b0 = bl & 0xffff, b1 = bl >>> 16;
  const p00 = Math.imul(a0, b0) >>> 0, p01 = Math.imul(a0, b1) >>> 0;
  const p10 = Math.imul(a1, b0) >>> 0, p11 = Math.imul(a1, b1) >>> 0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  r64.lo = ((mid << 16) | (p00 & 0xffff)) >>> 0;
  r64.hi = (p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16) + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
}

/**
 * FNV-1a, 64-bit (offset basis 0xcbf29ce484222325, prime 0x100000001b3), over bytes[0..length).
 * The prime is 2^40 + 0x1b3, so each multiply is one small product plus a shift into the high half.
 */
export function fnv1a64(bytes: Uint8Array, length: number): void {
  let hi = 0xcbf29ce4 | 0, lo = 0x84222325 | 0;
  for (let i = 0; i < length; i++) {
    lo ^= bytes[i];
    // lo * 0x1b3 as a 48-bit product split into a carry and the new low word.
    const a = (lo & 0xffff) * 0x1b3, b = (lo >>> 16) * 0x1b3;
    const t = (a >>> 16) + (b & 0xffff);
    hi = (Math.imul(hi, 0x1b3) + (t >>> 16) + (b >>> 16) + (lo << 8)) | 0;
    lo = (t << 16) | (a & 0xffff);
  }
  r64.hi = hi >>> 0;
  r64.lo = lo >>> 0;
}

/** MurmurHash3's 64-bit finalizer (fmix64): a bijective mix whose output bits all depend on all input bits. */
export function fmix64(hi: number, lo: number): void {
  lo = (lo ^ (hi >>> 1)) >>> 0;
  mul64(hi, lo, 0xff51afd7, 0xed558ccd);
  hi = r64.hi; lo = r64.lo;
  lo = (lo ^ (hi >>> 1)) >>> 0;
  mul64(hi, lo, 0xc4ceb9fe, 0x1a85ec53);
  hi = r64.hi; lo = r64.lo;
  r64.lo = (lo ^ (hi >>> 1)) >>> 0;
  r64.hi = hi;
}
