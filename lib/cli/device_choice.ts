// Picks the device a command runs on: the one asked for (checked to be usable), else the best available.
import { backendInfo, getDefaultDevice, setDefaultDevice, type Device } from '../device';
import { CliError } from './io';

/** Makes `requested` (already canonical, e.g. 'cuda:1') or the best device the default and returns it. */
export function chooseDevice(requested: Device | undefined): Device {
  if (requested === undefined) return getDefaultDevice();
  if (requested.startsWith('cuda:')) {
    const cuda = backendInfo().cuda;
    if (!cuda.usable) throw new CliError(`--device ${requested}: CUDA is not usable here (${cuda.reason ?? 'unknown reason'}); use --device cpu`);
    const index = Number(requested.slice(5));
    if (index >= cuda.devices.length) {
      throw new CliError(`--device ${requested}: only ${cuda.devices.length} CUDA device(s) found (cuda:0..cuda:${cuda.devices.length - 1})`);
    }
  }
  setDefaultDevice(requested);
  return requested;
}
