// tf.node.summaryFileWriter: the events file it creates, libtensorflow's queueing rule (more than maxQueue events
// or flushMillis elapsed), one writer per logdir, scalar and histogram records, and argument errors.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tn from '../../lib';
import { flushAllWriters } from '../../lib/tensorboard/writer';
import { histogramBuckets } from '../../lib/tensorboard';
import { randomArray } from '../helpers/gradcheck';
import { readEventsDir } from '../helpers/event_reader';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-tb-writer-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const dir = (name: string): string => path.join(root, name);

describe('summaryFileWriter', () => {
  test('creates the logdir and an events file that starts with the file version', () => {
    const before = Date.now() / 1000;
    const w = tn.node.summaryFileWriter(dir('a/b/c'));
    const files = fs.readdirSync(dir('a/b/c'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^events\.out\.tfevents\.\d{10}\..+\.v2$/);
    expect(w.path).toBe(path.join(dir('a/b/c'), files[0]));
    const events = readEventsDir(dir('a/b/c'));
    expect(events).toHaveLength(1);
    expect(events[0].fileVersion).toBe('brain.Event:2');
    expect(events[0].wallTime).toBeGreaterThanOrEqual(before - 1);
    expect(events[0].wallTime).toBeLessThanOrEqual(Date.now() / 1000 + 1);
  });

  test('the same logdir string gives the same writer; another gives another file', () => {
    expect(tn.node.summaryFileWriter(dir('same'))).toBe(tn.node.summaryFileWriter(dir('same')));
    expect(tn.node.summaryFileWriter(dir('same'))).not.toBe(tn.node.summaryFileWriter(dir('other')));
  });

  test('scalars: queued until more than maxQueue (10) wait, then written in order; flush() writes the rest', () => {
    const d = dir('queue');
    const w = tn.node.summaryFileWriter(d);
    const values = randomArray(25, 41, -5, 5);
    for (let i = 0; i < 10; i++) w.scalar('loss', values[i], i);
    expect(readEventsDir(d)).toHaveLength(1); // only the version record
    w.scalar('loss', values[10], 10);
    expect(readEventsDir(d)).toHaveLength(12);
    for (let i = 11; i < 25; i++) w.scalar('loss', values[i], i);
    w.flush();
    const events = readEventsDir(d).slice(1);
    expect(events.map((e) => e.step)).toEqual([...Array(25).keys()]);
    expect(events.map((e) => e.values)).toEqual(Array.from(values, (v) => [{ tag: 'loss', simpleValue: Math.fround(v) }]));
    const times = events.map((e) => e.wallTime);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  test('maxQueue and flushMillis arguments', async () => {
    const d = dir('small-queue');
    const w = tn.node.summaryFileWriter(d, 2);
    w.scalar('x', 1, 0);
    w.scalar('x', 2, 1);
    expect(readEventsDir(d)).toHaveLength(1);
    w.scalar('x', 3, 2);
    expect(readEventsDir(d)).toHaveLength(4);

    const t = dir('timed');
    const tw = tn.node.summaryFileWriter(t, 1000, 20);
    tw.scalar('y', 0.5, 1);
    expect(readEventsDir(t)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 40));
    tw.scalar('y', 0.25, 2); // more than flushMillis since the last write: both go out
    expect(readEventsDir(t).map((e) => e.step)).toEqual([0, 1, 2]);
  });

  test('a scalar tensor is written as its float32 value; other tensors and bad steps throw', () => {
    const d = dir('tensor');
    const w = tn.node.summaryFileWriter(d);
    const v = randomArray(1, 5, 1, 2)[0];
    w.scalar('acc', tn.scalar(v), 3);
    w.flush();
    expect(readEventsDir(d)[1]).toMatchObject({ step: 3, values: [{ tag: 'acc', simpleValue: Math.fround(v) }] });
    expect(() => w.scalar('acc', tn.tensor([1, 2]), 4)).toThrow(tn.ShapeError);
    expect(() => w.scalar('acc', 1, 1.5)).toThrow(tn.ValueError);
    expect(() => w.scalar('acc', 1, NaN)).toThrow(/step/);
    expect(() => w.scalar('acc', 1, 1, 'a description')).toThrow(/description/);
    expect(() => w.scalar('acc', 'one' as unknown as number, 1)).toThrow(tn.ValueError);
  });

  test('histogram: the buckets of all elements, tagged for the histograms plugin', () => {
    const d = dir('histo');
    const w = tn.node.summaryFileWriter(d);
    const data = randomArray(24, 17, -2, 2);
    w.histogram('dense/kernel', tn.tensor(data, [4, 6]), 5, 8, 'the kernel');
    w.histogram('dense/bias', tn.tensor(data.subarray(0, 3)), 6);
    w.flush();
    const [, h8, h30] = readEventsDir(d);
    expect(h8.step).toBe(5);
    expect(h8.values[0]).toEqual({
      tag: 'dense/kernel',
      tensor: { dtype: 1, shape: [8, 3], values: Array.from(histogramBuckets(data, 8)) },
      pluginName: 'histograms',
      description: 'the kernel',
    });
    expect(h30.values[0].tensor!.shape).toEqual([30, 3]);
    expect(() => w.histogram('h', tn.tensor(data), 1, 0)).toThrow(tn.ValueError);
    expect(() => w.histogram('h', [1, 2] as unknown as tn.Tensor, 1)).toThrow(tn.ValueError);
  });

  test('bad logdir and options throw ValueError', () => {
    expect(() => tn.node.summaryFileWriter('')).toThrow(tn.ValueError);
    expect(() => tn.node.summaryFileWriter(null as unknown as string)).toThrow(/logdir/);
    expect(() => tn.node.summaryFileWriter(dir('bad'), -1)).toThrow(/maxQueue/);
  });

  test('queued events are flushed when the process exits', () => {
    const d = dir('exit');
    const w = tn.node.summaryFileWriter(d);
    w.scalar('late', 2.5, 9);
    expect(readEventsDir(d)).toHaveLength(1);
    expect(process.listeners('exit')).toContain(flushAllWriters);
    flushAllWriters();
    expect(readEventsDir(d)[1]).toMatchObject({ step: 9, values: [{ tag: 'late', simpleValue: 2.5 }] });
  });
});
