// What the foreign-format loaders (tfjs layers-model, Keras) share: building a model from a converted config on a
// device with no weight larger than the file holds, and filling its weights from host values.
import { getDefaultDevice, setDefaultDevice, type Device } from '../device';
import { tensor } from '../ops/creation';
import { withWeightBudget, type LayerVariable } from '../nn/layers/layer';
import type { LayersModel } from '../models/layers_model';
import { modelFromJSON } from '../models/from_config';
import { ModelFileError } from './model_files';

/** Builds `config` (a Sequential's or a functional model's) on `device`; `budget`: the largest weight allowed (elements). */
export function buildWithinBudget(file: string, sequential: boolean, config: Record<string, unknown>, device: Device, budget: number): LayersModel {
  const previous = getDefaultDevice();
  try {
    setDefaultDevice(device);
    return withWeightBudget(budget, () => {
      const m = modelFromJSON({ className: sequential ? 'Sequential' : 'Model', config });
      m.build();
      return m;
    });
  } catch (e) {
    throw new ModelFileError(`${file}: the architecture cannot be built (${(e as Error).message})`);
  } finally {
    setDefaultDevice(previous);
  }
}

/** Assigns checked host values to the weights (each already matched in shape). */
export function assignAll(values: { v: LayerVariable; arr: ArrayLike<number> }[], device: Device): void {
  for (const { v, arr } of values) {
    const data = v.value.dtype === 'int32' ? Int32Array.from(arr) : arr instanceof Float32Array ? arr : Float32Array.from(arr);
    const t = tensor(data, v.shape, { device, dtype: v.value.dtype });
    try {
      v.assign(t);
    } finally {
      t.dispose();
    }
  }
}
