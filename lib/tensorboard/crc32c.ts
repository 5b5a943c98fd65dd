// CRC-32C (Castagnoli), the checksum TFRecord files carry, and TensorFlow's "masked" form of it.

// Byte-at-a-time lookup table for the reflected Castagnoli polynomial 0x82F63B78.
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32C of `bytes` as an unsigned 32-bit number (crc32c("123456789") = 0xE3069283). */
export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * TensorFlow stores CRCs rotated right by 15 bits plus a constant, because a CRC computed over data that itself
 * contains CRCs is weak; readers (TensorBoard, tf.data) check this masked value.
 */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}
