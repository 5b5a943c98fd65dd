// tf.serialization: registerClass makes a class with a static className known to configs (a custom layer then loads
// from saved models), plus tfjs's Serializable, SerializationMap and getRegisteredName.
import { ValueError } from './errors';
import { Layer } from './nn/layers/layer';
import { registerLayer } from './nn/layers/registry';
import { recordRegisteredName, SerializationMap, type SerializableConstructor } from './serializable';

export { Serializable, SerializationMap, getRegisteredName, type SerializableConstructor } from './serializable';

/** A layer class as tfjs registers it: constructible from its config, with a static className. */
export interface SerializableLayerClass {
  new (config: Record<string, unknown>): Layer;
  className: string;
  fromConfig?(cls: unknown, config: Record<string, unknown>): Layer;
}

/**
 * Registers `cls` (tfjs's registerClass(cls, pkg = 'Custom', name = className)): it joins the SerializationMap and
 * getRegisteredName(cls) becomes '<pkg>><name>'; a layer class also becomes loadable from model configs. Returns cls.
 */
export function registerClass<T extends SerializableConstructor | SerializableLayerClass>(cls: T, pkg = 'Custom', name?: string): T {
  if (typeof cls !== 'function' || typeof cls.className !== 'string' || cls.className === '') {
    throw new ValueError(`serialization.registerClass: expected a class with a static non-empty 'className' string (a subclass of tf.layers.Layer or another Serializable)`);
  }
  SerializationMap.register(cls as SerializableConstructor);
  recordRegisteredName(cls, `${pkg}>${name ?? cls.className}`);
  if (cls.prototype instanceof Layer) {
    const layerClass = cls as SerializableLayerClass;
    registerLayer(layerClass.className, (config) => (typeof layerClass.fromConfig === 'function' ? layerClass.fromConfig(layerClass, config) : new layerClass(config)));
  }
  return cls;
}
