// The data namespace: tf.data (Dataset, array, generator, csv, zip), dataset loaders (MNIST IDX, CIFAR-10, the bundled
// digits, downloads), ArrayDataset/DataLoader, preprocessing and tensor conversion. Exported from the package root as `data`.
export * from './errors';
export * from './array';
export * from './prng';
export * from './idx';
export * from './cifar10';
export * from './mnist_package';
export * from './download';
export * from './dataset';
export * from './tfdata';
export * from './preprocess';
export * from './resize';
export * from './tensors';
