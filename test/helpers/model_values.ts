// Reads what evaluate() returns (a scalar tensor or a list of them, as in tfjs) back as numbers.
import type { Tensor } from '../../lib';

export async function scalars(r: Tensor | Tensor[]): Promise<number[]> {
  const list = Array.isArray(r) ? r : [r];
  return Promise.all(list.map(async (t) => (await t.data())[0]));
}
