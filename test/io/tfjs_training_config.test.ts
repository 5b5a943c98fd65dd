// trainingConfig in the tfjs layers-model format, both ways against tfjs: a model tfjs saved with includeOptimizer
// loads here compiled (optimizer class and settings, loss, metrics) and trains; one saved here with includeOptimizer
// loads in tfjs compiled the same way; without it, neither side writes one.
import * as tn from '../../lib';
import { tf } from '../helpers/tfjs_diff';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

/** The artifacts `m` (of library `lib`) saves through a tf.io.withSaveHandler. */
async function artifactsOf(lib: Any, m: Any, includeOptimizer: boolean): Promise<Any> {
  let out: Any = null;
  await m.save(lib.io.withSaveHandler(async (a: Any) => {
    out = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }), { includeOptimizer });
  return out;
}

function classifier(lib: Any): Any {
  const m = lib.sequential({ layers: [lib.layers.dense({ units: 3, inputShape: [4], activation: 'softmax', name: 'probs' })] });
  m.compile({ optimizer: lib.train.rmsprop(0.005, 0.8), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

test('a tfjs model saved with includeOptimizer loads compiled, and trains', async () => {
  const T = tf();
  const art = await artifactsOf(T, classifier(T), true);
  expect(art.weightSpecs.some((w: Any) => w.group === 'optimizer')).toBe(true);
  const back = await tn.loadLayersModel(tn.io.fromMemory(art));
  expect(back.optimizer).toBeInstanceOf(tn.RMSPropOptimizer);
  expect(back.optimizer!.getConfig()).toMatchObject({ learningRate: 0.005, decay: 0.8 });
  expect(back.compileConfig).toMatchObject({ loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = tn.randomNormal([8, 4], 0, 1, 'float32', 1);
  const y = tn.oneHot(tn.tensor([0, 1, 2, 0, 1, 2, 0, 1], [8], 'int32'), 3);
  const h = await back.fit(x, y, { epochs: 2, verbose: 0 });
  expect(Object.keys(h.history).sort()).toEqual(['acc', 'loss']);
});

test('saved here with includeOptimizer, tfjs loads it compiled with the same optimizer and loss', async () => {
  const T = tf();
  const art = await artifactsOf(tn, classifier(tn), true);
  expect(art.trainingConfig).toMatchObject({ loss: 'categorical_crossentropy', optimizer_config: { class_name: 'RMSProp' } });
  const theirs = await T.loadLayersModel(T.io.fromMemory(art));
  expect(theirs.optimizer.getClassName()).toBe('RMSProp');
  expect(theirs.optimizer.getConfig()).toMatchObject({ learningRate: 0.005, decay: 0.8 });
  expect(theirs.loss).toBe('categoricalCrossentropy');
});

test('without includeOptimizer (tfjs default) no trainingConfig is written and the model loads uncompiled', async () => {
  const T = tf();
  const mine = await artifactsOf(tn, classifier(tn), false);
  const theirs = await artifactsOf(T, classifier(T), false);
  expect(mine.trainingConfig).toBeUndefined();
  expect(theirs.trainingConfig).toBeUndefined();
  expect((await tn.loadLayersModel(tn.io.fromMemory(theirs))).optimizer ?? null).toBeNull();
});

test('a damaged trainingConfig is a ModelFileError naming it', async () => {
  const art = await artifactsOf(tn, classifier(tn), true);
  await expect(tn.loadLayersModel(tn.io.fromMemory({ ...art, trainingConfig: { loss: 'mse', optimizer_config: 'adam' } }))).rejects.toThrow(/trainingConfig: 'optimizer_config' must be/);
  await expect(tn.loadLayersModel(tn.io.fromMemory({ ...art, trainingConfig: { ...art.trainingConfig, loss: 'no_such_loss' } }))).rejects.toThrow(tn.ModelFileError);
});
