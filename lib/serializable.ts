// tfjs's serialization core: Serializable (getClassName from the class's static className, fromConfig), the
// SerializationMap of registered classes, and the registered names ('Custom>MyLayer'). No imports, so any module
// (optimizers, layers) can extend Serializable without import cycles.

/** A class that serializes: a static className and a static fromConfig(cls, config). */
export interface SerializableConstructor<T = unknown> {
  new (...args: never[]): T;
  className: string;
  fromConfig?(cls: SerializableConstructor<T>, config: Record<string, unknown>): T;
}

export abstract class Serializable {
  /** The class's static className (the key in saved configs). */
  getClassName(): string {
    return (this.constructor as unknown as { className: string }).className;
  }
  abstract getConfig(): Record<string, unknown>;
  /** Builds an instance from getConfig()'s output; classes whose constructor takes something else override it. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  static fromConfig(cls: new (...args: any[]) => Serializable, config: Record<string, unknown>): Serializable {
    return new cls(config);
  }
}

type FromConfig = (cls: never, config: Record<string, unknown>) => unknown;

/** Every class registered with serialization.registerClass, by className: [class, its fromConfig]. */
export class SerializationMap {
  private static instance: SerializationMap | null = null;
  readonly classNameMap: Record<string, [SerializableConstructor, FromConfig]> = {};
  private constructor() {}
  static getMap(): SerializationMap {
    return (SerializationMap.instance ??= new SerializationMap());
  }
  static register(cls: SerializableConstructor): void {
    const from = (cls.fromConfig ?? ((c: SerializableConstructor, config: Record<string, unknown>) => new (c as unknown as new (x: unknown) => unknown)(config))) as FromConfig;
    SerializationMap.getMap().classNameMap[cls.className] = [cls, from];
  }
}

const registeredNames = new Map<unknown, string>();

/** @internal Records `cls` under '<pkg>><name>' (what getRegisteredName reports). */
export function recordRegisteredName(cls: unknown, registeredName: string): void {
  registeredNames.set(cls, registeredName);
}

/** The name a class was registered under ('Custom>' + className by default), else its className. */
export function getRegisteredName(cls: { className: string }): string {
  return registeredNames.get(cls) ?? cls.className;
}
