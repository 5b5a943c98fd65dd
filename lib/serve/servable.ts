// What the serving layer needs from a model: named, typed inputs/outputs (batch dim first) and a batched forward pass.
import type { Device } from '../device';
import type { DType } from '../dtype';
import { ValueError } from '../errors';
import { Sequential } from '../models/sequential';
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

/** The serving view of a Sequential: input `<first layer>_input` (Keras' name), output named after the last layer. */
export function servableSequential(model: Sequential): ServableModel {
  const first = model.layers[0];
  const batchShape = first?.batchInputShape ?? (first?.inputShape ? [null, ...first.inputShape] : null);
  if (!first || !batchShape || batchShape.slice(1).some((d) => typeof d !== 'number')) {
    throw new ValueError(`serve: model '${model.name}' does not record its input shape (give the first layer 'inputShape')`);
  }
  if (!model.built) model.build();
  const outShape = model.layerOutputShapes().at(-1)!;
  const signature: ModelSignature = {
    inputs: [{ name: `${first.name}_input`, dtype: 'float32', shape: [null, ...(batchShape.slice(1) as number[])] }],
    outputs: [{ name: model.layers.at(-1)!.name, dtype: 'float32', shape: [null, ...outShape.slice(1)] }],
  };
  return {
    signature,
    get device() {
      return model.device;
    },
    // One pass over the whole batch (predict() would cut it into chunks of 32).
    run: ([x]) => [model.predict(x, { batchSize: Math.max(1, x.shape[0]) })],
    dispose: () => model.dispose(),
  };
}

/** Anything the Predictor accepts as a model: a ServableModel, or a model class the serving layer knows. */
export type ModelLike = ServableModel | Sequential;

export function toServable(model: ModelLike): ServableModel {
  if (model instanceof Sequential) return servableSequential(model);
  if (typeof (model as ServableModel).run === 'function' && (model as ServableModel).signature) return model as ServableModel;
  throw new ValueError(`serve: expected a Sequential or a ServableModel, got ${(model as object)?.constructor?.name ?? typeof model}`);
}

/** Elements per batch row of a spec (product of the non-batch dims). */
export const rowSize = (spec: TensorSpec): number => spec.shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
