// The op table (lib/ops/op_list.ts) and each compiled backend's kernels must list exactly the same names.
import { KERNELS } from '../../lib/ops/op_list';
import { native } from '../../lib/native';
import { backendInfo } from '../../lib';

describe('op list', () => {
  const listed = KERNELS.map((k) => k.name).sort();

  test('names are unique', () => {
    expect(new Set(listed).size).toBe(listed.length);
  });

  test('CPU backend registers exactly the listed kernels', () => {
    expect(native.kernels('cpu').sort()).toEqual(listed);
  });

  test('CUDA backend (when compiled) registers exactly the listed kernels', () => {
    const cuda = backendInfo().cuda;
    if (!cuda.loaded) {
      // Nothing to compare in a CPU-only build (or where the CUDA module cannot load); the CPU comparison above ran.
      expect(cuda.reason).toMatch(/not compiled|cannot be loaded/);
      return;
    }
    expect(native.kernels('cuda:0').sort()).toEqual(listed);
  });

  test('every backward kernel a rule names is itself listed', () => {
    for (const k of KERNELS) for (const b of k.backward ?? []) expect(listed).toContain(b);
  });
});
