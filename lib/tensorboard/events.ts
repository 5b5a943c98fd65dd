// TensorBoard Event protos (tensorflow/core/util/event.proto, summary.proto, tensor.proto) encoded with ProtoWriter.
// Field numbers are the protos'; fields are written in field order and proto3 defaults (0, '') are left out, as
// TensorFlow's own serializer does.
import { ProtoWriter } from './protobuf';

/** The version string of the event-file format TensorBoard reads (the first record of every file). */
export const FILE_VERSION = 'brain.Event:2';

const DT_FLOAT = 1; // tensorflow.DataType

function event(wallTime: number, step: number): ProtoWriter {
  const e = new ProtoWriter().double(1, wallTime);
  if (step !== 0) e.int64(2, step);
  return e;
}

/** Event{wall_time, file_version}: what a new events file starts with. */
export function fileVersionEvent(wallTime: number): Uint8Array {
  return event(wallTime, 0).string(3, FILE_VERSION).finish();
}

/** Event{wall_time, step, summary{value{tag, simple_value}}}: one scalar point (as WriteScalarSummary writes it). */
export function scalarEvent(wallTime: number, step: number, tag: string, value: number): Uint8Array {
  const v = new ProtoWriter().string(1, tag).float(2, value);
  return event(wallTime, step).message(5, new ProtoWriter().message(1, v)).finish();
}

/**
 * Event with one tensor summary value: a float32 [k, 3] tensor of (left edge, right edge, count) rows tagged for
 * TensorBoard's 'histograms' plugin. This is the form tfjs-node writes (through TF's WriteSummary op) and the one
 * TensorBoard's histogram and distribution dashboards read natively.
 */
export function histogramEvent(wallTime: number, step: number, tag: string, buckets: Float32Array, description?: string): Uint8Array {
  const rows = buckets.length / 3;
  const dim = (size: number): ProtoWriter => (size === 0 ? new ProtoWriter() : new ProtoWriter().int64(1, size));
  const shape = new ProtoWriter().message(2, dim(rows)).message(2, dim(3));
  const tensor = new ProtoWriter().int64(1, DT_FLOAT).message(2, shape);
  // tensor_content: the raw little-endian float32 values, row-major
  if (buckets.length > 0) {
    const content = Buffer.alloc(4 * buckets.length);
    buckets.forEach((v, i) => content.writeFloatLE(v, 4 * i));
    tensor.bytes(4, content);
  }
  // HistogramPluginData{version: 0} serializes to no bytes, so plugin_data carries only the plugin's name
  const metadata = new ProtoWriter().message(1, new ProtoWriter().string(1, 'histograms'));
  if (description) metadata.string(3, description);
  const v = new ProtoWriter().string(1, tag).message(8, tensor).message(9, metadata);
  return event(wallTime, step).message(5, new ProtoWriter().message(1, v)).finish();
}
