// What every model-file loader shares: building the architecture with each weight taken from the file (checked
// against what the layer asks for) instead of initialized, and reporting non-finite stored values.
import { getDefaultDevice, setDefaultDevice, type Device } from '../device';
import { tensor } from '../ops/creation';
import type { Tensor } from '../tensor';
import { withWeightSource, type WeightRequest } from '../nn/layers/layer';
import type { LayersModel } from '../models/layers_model';
import { modelFromJSON } from '../models/from_config';
import { ModelFileError } from './model_files';

/** Options every model loader takes about the stored values themselves. */
export interface WeightCheckOptions {
  /** Non-finite (NaN/Infinity) stored weights are an error instead of a warning. Default false. */
  strict?: boolean;
}

/** Where a layer's weight is in the file, in words: "weight 'kernel' of layer 'dense_1'". */
export function weightWhat(name: string): string {
  const cut = name.lastIndexOf('/');
  return cut < 0 ? `weight '${name}'` : `weight '${name.slice(cut + 1)}' of layer '${name.slice(0, cut)}'`;
}

/** Counts the non-finite values of float weights (NaN/Infinity), per weight name, for one load. */
export class NonFiniteReport {
  private readonly found: { name: string; count: number }[] = [];
  constructor(
    private readonly file: string,
    private readonly strict: boolean,
  ) {}
  /** Checks `values` of weight `name`: throws at once in strict mode (before anything is allocated for it). */
  check(name: string, values: ArrayLike<number>): void {
    if (values instanceof Int32Array) return;
    let count = 0;
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) count++;
    if (count === 0) return;
    if (this.strict) throw new ModelFileError(`${this.file}: ${weightWhat(name)} ('${name}') holds ${count} non-finite value(s) (NaN or Infinity); refused because of {strict: true}`);
    this.found.push({ name, count });
  }
  /** One warning line for the whole load, naming each weight and its count. */
  emit(): void {
    if (this.found.length === 0) return;
    const list = this.found.map((f) => `'${f.name}' (${f.count})`).join(', ');
    process.emitWarning(`${this.file}: non-finite (NaN/Infinity) values in ${this.found.length} weight(s): ${list}`, { code: 'TENSORNODE_NONFINITE_WEIGHTS' });
  }
}

/**
 * Builds the model `json` describes (a Sequential's or a functional model's config) on `device`, every weight the layers create taken from `take` (which checks the
 * request against the file and returns its host values, or throws ModelFileError): no initializer runs, and nothing
 * the file does not hold is allocated. On any failure the weights already created are freed. Errors other than
 * ModelFileError (a layer option the layer refuses) become ModelFileError naming `file`.
 */
export function buildFromFile(
  file: string,
  device: Device,
  json: { className: 'Sequential' | 'Model'; config: Record<string, unknown> },
  take: (req: WeightRequest) => Float32Array | Int32Array,
): LayersModel {
  const previous = getDefaultDevice();
  const created: Tensor[] = [];
  try {
    setDefaultDevice(device);
    return withWeightSource(
      (req) => {
        const values = take(req);
        const t = tensor(values, req.shape, { device: req.device, dtype: req.dtype });
        created.push(t);
        return t;
      },
      () => {
        const m = modelFromJSON(json);
        m.build();
        return m;
      },
    );
  } catch (e) {
    for (const t of created) t.dispose();
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError(`${file}: the architecture cannot be built (${(e as Error).message})`);
  } finally {
    setDefaultDevice(previous);
  }
}

/** Float32Array/Int32Array of a weight's host values in the dtype the layer asked for. */
export function asDType(values: ArrayLike<number>, req: WeightRequest): Float32Array | Int32Array {
  if (req.dtype === 'int32') return values instanceof Int32Array ? values : Int32Array.from(values);
  return values instanceof Float32Array ? values : Float32Array.from(values);
}
