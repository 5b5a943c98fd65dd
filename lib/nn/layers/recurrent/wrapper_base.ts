// The base of layers that own inner layers (wrappers, RNN cells): their weights are the inner layers' weights.
import { ValueError } from '../../../errors';
import type { Device } from '../../../device';
import type { Tensor } from '../../../tensor';
import { Layer, type LayerVariable } from '../layer';

/** A layer whose weights are those of its inner layers (in order). */
export abstract class Wrapper extends Layer {
  protected abstract get inner(): Layer[];
  override get weights(): LayerVariable[] {
    return this.inner.flatMap((l) => l.weights);
  }
  override get trainableWeights(): LayerVariable[] {
    return this.trainable ? this.inner.flatMap((l) => l.trainableWeights) : [];
  }
  override get nonTrainableWeights(): LayerVariable[] {
    return this.trainable ? this.inner.flatMap((l) => l.nonTrainableWeights) : this.weights;
  }
  override get trainable(): boolean {
    return super.trainable;
  }
  override set trainable(v: boolean) {
    super.trainable = v;
    for (const l of this.inner ?? []) l.trainable = v;
  }
  override getWeights(trainableOnly = false): Tensor[] {
    return this.inner.flatMap((l) => l.getWeights(trainableOnly));
  }
  override setWeights(values: Tensor[]): void {
    const n = this.weights.length;
    if (values.length !== n) throw new ValueError(`setWeights: layer '${this.name}' has ${n} weights, got ${values.length} values`);
    let k = 0;
    for (const l of this.inner) {
      const m = l.weights.length;
      l.setWeights(values.slice(k, k + m));
      k += m;
    }
  }
  override countParams(): number {
    return this.inner.reduce((n, l) => n + l.countParams(), 0);
  }
  override regularizationLosses(): Tensor[] {
    return this.inner.flatMap((l) => l.regularizationLosses());
  }
  override to(device: Device): this {
    super.to(device);
    for (const l of this.inner) l.to(device);
    return this;
  }
  override dispose(): void {
    for (const l of this.inner) l.dispose();
    super.dispose();
  }
}
