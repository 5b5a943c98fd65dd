// Process exit with GEMMs queued on the CUDA stream and a read pending (issue 9, finding 3 on the GPU): the CUDA
// backend's shutdown joins its reader thread and waits for the stream; the child must end with its own exit code.
import { spawnSync } from 'child_process';
import * as path from 'path';
import { GPU, describeRealGpu, reportGpuGate } from './gpu_env';

reportGpuGate('lifecycle.test.ts');

const LIB = path.resolve(__dirname, '../../dist/lib/index.js');
const SCRIPT = path.resolve(__dirname, '../lifecycle/scripts/exit_with_queued_work.js');

describeRealGpu('exit with work queued on the GPU', () => {
  test.each([
    ['exit', 0],
    ['throw', 1],
    ['sigint', 130],
    ['return', 0],
  ])('%s: the process ends with code %d, no signal, no hang', (mode, code) => {
    const r = spawnSync(process.execPath, [SCRIPT, mode as string, GPU], { env: { ...process.env, TN_LIB: LIB }, encoding: 'utf8', timeout: 60_000 });
    expect({ timedOut: r.error !== undefined, signal: r.signal, status: r.status }).toEqual({ timedOut: false, signal: null, status: code });
  }, 70_000);
});
