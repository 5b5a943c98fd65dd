// tf.serialization: registerClass makes a custom layer (class extends tf.layers.Layer with static className)
// known to model configs, so saved models that use it load again.
import { ValueError } from './errors';
import { Layer } from './nn/layers/layer';
import { registerLayer } from './nn/layers/registry';

/** A layer class as tfjs registers it: constructible from its config, with a static className. */
export interface SerializableLayerClass {
  new (config: Record<string, unknown>): Layer;
  className: string;
  fromConfig?(cls: unknown, config: Record<string, unknown>): Layer;
}

export function registerClass(cls: SerializableLayerClass): void {
  if (typeof cls !== 'function' || !(cls.prototype instanceof Layer)) throw new ValueError(`serialization.registerClass: expected a subclass of tf.layers.Layer`);
  if (typeof cls.className !== 'string' || cls.className === '') throw new ValueError(`serialization.registerClass: the class needs a static 'className' string`);
  registerLayer(cls.className, (config) => (typeof cls.fromConfig === 'function' ? cls.fromConfig(cls, config) : new cls(config)));
}
