// tf.data: lazy datasets (array, generator, func, csv, zip, TextLineDataset over File/URL data sources) and their
// methods, as in @tensorflow/tfjs-data.
export { Dataset, datasetFromIteratorFn } from './dataset';
export { LazyIterator } from './iterator';
export { array, generator, zip } from './sources';
export { func, TextLineDataset } from './text_line';
export { DataSource, FileDataSource, URLDataSource, type FileChunkOptions } from './data_sources';
export { csv, CSVDataset, type CSVConfig, type ColumnConfig, type CsvValue } from './csv';
