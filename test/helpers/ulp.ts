// Distance in float32 units in the last place between two values (across zero: the sum of both magnitudes' steps).
export function ulpDistance(a: number, b: number): number {
  const ia = new Int32Array(new Float32Array([a]).buffer)[0];
  const ib = new Int32Array(new Float32Array([b]).buffer)[0];
  if (ia < 0 !== ib < 0) return (ia & 0x7fffffff) + (ib & 0x7fffffff);
  return Math.abs(ia - ib);
}
