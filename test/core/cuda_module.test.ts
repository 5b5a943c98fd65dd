// Loading the CUDA module (native/core/cuda_loader.cc): the addon loads and the CPU works whether the module is
// absent, unloadable or present, and backendInfo().cuda gives the exact reason. Each case runs in a child process,
// because the module is looked for once per process (TENSORNODE_CUDA_MODULE overrides where).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const addon = process.env.TENSORNODE_ADDON ? path.resolve(process.env.TENSORNODE_ADDON) : path.join(root, 'build', 'Release', 'tensornode.node');

/** Loads the addon in a fresh process with `env`, runs a CPU fill + add, returns backendInfo's CUDA report and the sum. */
function probe(env: Record<string, string | undefined>): { cuda: Record<string, unknown>; cpuSum: number; cudaKernels: number } {
  const script = `
    const n = require(${JSON.stringify(addon)});
    const [a] = n.run('fill', 'cpu', [null, 0, [3]], 0, { value: 2 });
    const [b] = n.run('add', 'cpu', [a, 0, [3], a, 0, [3], null, 0, [3]], 2, {});
    const v = new Float32Array(n.readSync(b, 0, 12));
    const cuda = JSON.parse(n.backendInfo().cudaJson);
    console.log(JSON.stringify({ cuda, cpuSum: v[0] + v[1] + v[2], cudaKernels: n.kernels('cuda:0').length }));`;
  const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

describe('CUDA module loading', () => {
  test('an absent module: the CPU works, CUDA is "not compiled" and the reason names the path looked at', () => {
    const missing = path.join(os.tmpdir(), `no-such-dir-${process.pid}`, 'tensornode_cuda.so');
    const r = probe({ TENSORNODE_CUDA_MODULE: missing });
    expect(r.cpuSum).toBe(12);
    expect(r.cuda).toMatchObject({ compiled: false, loaded: false, usable: false, module: missing });
    expect(r.cuda.reason).toMatch(/^not compiled: this build has no CUDA module/);
    expect(r.cuda.reason).toContain(missing);
    expect(r.cudaKernels).toBe(0);
  });

  test('a module that cannot be loaded: the CPU works and the reason carries the loader\'s error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-cuda-module-'));
    const bogus = path.join(dir, 'tensornode_cuda.so');
    fs.writeFileSync(bogus, 'not an ELF file\n');
    try {
      const r = probe({ TENSORNODE_CUDA_MODULE: bogus });
      expect(r.cpuSum).toBe(12);
      expect(r.cuda).toMatchObject({ compiled: true, loaded: false, usable: false, module: bogus });
      expect(r.cuda.reason).toMatch(/cannot be loaded: .*(invalid ELF header|file too short)/);
      expect(r.cudaKernels).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a shared object without the entry point is refused with a reason', () => {
    // Any real shared library lacks tn_cuda_module_init: the addon itself serves.
    const r = probe({ TENSORNODE_CUDA_MODULE: addon });
    expect(r.cpuSum).toBe(12);
    expect(r.cuda).toMatchObject({ compiled: true, loaded: false, usable: false });
    expect(r.cuda.reason).toMatch(/has no tn_cuda_module_init entry point/);
  });

  const built = path.join(path.dirname(addon), 'tensornode_cuda.so');
  (fs.existsSync(built) ? test : test.skip)('the module built beside the addon loads and registers its kernels (CUDA builds only)', () => {
    const r = probe({ TENSORNODE_CUDA_MODULE: undefined });
    expect(r.cpuSum).toBe(12);
    if (!r.cuda.loaded) {
      // Its CUDA libraries are not findable here (e.g. CI hides them): the reason must say which.
      expect(r.cuda.reason).toMatch(/cannot be loaded: .*lib(cudart|cublas|cudnn)/);
      return;
    }
    expect(r.cuda).toMatchObject({ compiled: true, loaded: true, module: built });
    expect(r.cudaKernels).toBeGreaterThan(70);
    if (!r.cuda.usable) expect(String(r.cuda.reason).length).toBeGreaterThan(0);
  });
});
