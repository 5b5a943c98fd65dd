// What the serving layer needs from a model: named, typed inputs/outputs (batch dim first) and a batched forward pass.
import type { Device } from '../device';
import type { DType } from '../dtype';
import { ValueError } from '../errors';
import { LayersModel } from '../models/layers_model';
import type { Tensor } from '../tensor';

/** One input or output: its name, dtype and shape with the batch dimension first as null. */
export interface TensorSpec {
  name: string;
  dtype: DType;
  shape: (number | null)[];
}

/** The model's interface, N named inputs and M named outputs (Sequential: one of each). */
export interface ModelSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

/**
 * A model as the Predictor drives it. `run` queues one forward pass in inference mode for a batch (one tensor per
 * signature input, same leading size) and returns one tensor per signature output; it must not block on the device.
 */
export interface ServableModel {
  readonly signature: ModelSignature;
  readonly device: Device;
  run(inputs: Tensor[]): Tensor[];
  dispose(): void;
}

/**
 * The serving view of a model (Sequential or functional): its inputs named as its input layers (a Sequential's is
 * `<first layer>_input`, Keras' name) and its outputs as the layers producing them.
 */
export function servableSequential(model: LayersModel): ServableModel {
  if (model.outputs.length === 0) {
    try {
      model.build();
    } catch {
      throw new ValueError(`serve: model '${model.name}' does not record its input shape (give the first layer 'inputShape')`);
    }
  }
  if (model.inputs.some((t) => t.shape.slice(1).some((d) => typeof d !== 'number'))) {
    throw new ValueError(`serve: model '${model.name}' has inputs of unknown size (${model.inputs.map((t) => `[${t.shape}]`).join(', ')})`);
  }
  const signature: ModelSignature = {
    inputs: model.inputs.map((t, i) => ({ name: model.inputNames[i], dtype: t.dtype, shape: [null, ...t.shape.slice(1)] })),
    outputs: model.outputs.map((t, i) => ({ name: model.outputNames[i], dtype: 'float32', shape: [null, ...t.shape.slice(1)] })),
  };
  return {
    signature,
    get device() {
      return model.device;
    },
    // One pass over the whole batch (predict() would cut it into chunks of 32).
    run: (xs) => {
      const out = model.predict(xs, { batchSize: Math.max(1, xs[0].shape[0]) });
      return Array.isArray(out) ? out : [out];
    },
    dispose: () => model.dispose(),
  };
}

/** Anything the Predictor accepts as a model: a ServableModel, or a model class the serving layer knows. */
export type ModelLike = ServableModel | LayersModel;

export function toServable(model: ModelLike): ServableModel {
  if (model instanceof LayersModel) return servableSequential(model);
  if (typeof (model as ServableModel).run === 'function' && (model as ServableModel).signature) return model as ServableModel;
  throw new ValueError(`serve: expected a Sequential or a ServableModel, got ${(model as object)?.constructor?.name ?? typeof model}`);
}

/** Elements per batch row of a spec (product of the non-batch dims). */
export const rowSize = (spec: TensorSpec): number => spec.shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
