// tfjs's generic recurrent layer over cells: rnn({cell}) with simpleRNNCell, lstmCell, gruCell and stackedRNNCells.
// A cell holds its options; once placed in an RNN it runs on the fused sequence kernels of SimpleRNN/LSTM/GRU (one
// inner layer per cell, named for the weights tfjs gives: `<rnn>/kernel`, or `<rnn>/RNNCell_<i>/kernel` when stacked).
// Stacked cells run cell by cell over the whole sequence, which equals tfjs's step-by-step stacking.
import { ValueError } from '../../../errors';
import { reshape } from '../../../ops';
import type { Tensor } from '../../../tensor';
import { isShapeList, Layer, type CallArgs, type LayerArgs, type Shape } from '../layer';
import { GRU, LSTM, SimpleRNN, applyRecurrent, lastStep, type GRULayerArgs, type LSTMLayerArgs, type RNNLayerArgs, type RNNResult } from './rnn';
import { Wrapper } from './wrapper_base';

/** The options of a cell: those of the matching recurrent layer that act within a step. */
export type SimpleRNNCellLayerArgs = Omit<RNNLayerArgs, 'returnSequences' | 'returnState' | 'goBackwards' | 'stateful' | 'unroll' | 'inputDim' | 'inputLength'>;
export type LSTMCellLayerArgs = Omit<LSTMLayerArgs, 'returnSequences' | 'returnState' | 'goBackwards' | 'stateful' | 'unroll' | 'inputDim' | 'inputLength'>;
export type GRUCellLayerArgs = Omit<GRULayerArgs, 'returnSequences' | 'returnState' | 'goBackwards' | 'stateful' | 'unroll' | 'inputDim' | 'inputLength'>;

/** Config keys of a recurrent layer that belong to the RNN around a cell, not to the cell. */
const SEQUENCE_KEYS = ['returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll', 'batchInputShape', 'name', 'trainable'];

/** The sequence layer a cell runs on: a recurrent layer with its options, over a whole sequence. */
export interface CellLayer extends Layer {
  readonly units: number;
  callWithState(x: Tensor, initialState?: Tensor[], args?: CallArgs): RNNResult;
}

/**
 * One cell (simpleRNNCell, lstmCell, gruCell, convLstm2dCell): its weights live in the layer it runs on once placed
 * (the fused recurrent layers; ConvLSTM2D for the convolutional cell).
 */
export abstract class RNNCell extends Wrapper {
  /** The options, checked by building an (unbuilt, weightless) layer of the matching kind from them. */
  private readonly options: Record<string, unknown>;
  /** The layer this cell runs on, once placed in an RNN (or applied on its own). */
  impl: CellLayer | null = null;
  readonly units: number;
  abstract readonly stateCount: number;

  /** The rank of the sequences the cell runs over: [batch, steps, features] here; convolutional cells take 5. */
  get sequenceRank(): number {
    return 3;
  }

  constructor(args: Record<string, unknown>, className: string, private readonly make: (args: RNNLayerArgs) => CellLayer) {
    super(args as LayerArgs, className);
    const template = make({ ...args, name: this.name } as unknown as RNNLayerArgs);
    const config = template.getConfig();
    for (const k of SEQUENCE_KEYS) delete config[k];
    this.options = config;
    this.units = template.units;
  }

  protected get inner(): Layer[] {
    return this.impl ? [this.impl] : [];
  }

  /** The state sizes (tfjs' stateSize: units, or [units, units] for LSTM). */
  get stateSize(): number | number[] {
    return this.stateCount === 1 ? this.units : Array.from({ length: this.stateCount }, () => this.units);
  }

  /**
   * @internal Creates the layer with weights named `${prefix}/...` for sequences of `inShape` ([batch, steps, ...]);
   * the sequence it returns is in processing order (reversed when goBackwards).
   */
  place(prefix: string, inShape: Shape, goBackwards: boolean): void {
    if (this.impl) throw new ValueError(`${this.className} '${this.name}': this cell already belongs to another RNN (or was applied on its own); create a new cell`);
    const impl = this.make({ ...this.options, name: prefix, returnSequences: true, goBackwards, trainable: this.trainable } as unknown as RNNLayerArgs);
    if (this.weightDevice) impl.to(this.weightDevice);
    impl.build(inShape);
    this.impl = impl;
    this.built = true;
  }

  /** What one step takes, for messages. */
  protected get stepLayout(): string {
    return '[batch, features]';
  }

  /** One step on its own (tfjs cell.apply([x, ...states])): [output, ...new states]. */
  override build(shapes: Shape | Shape[]): void {
    const x = isShapeList(shapes) ? shapes[0] : shapes;
    const inDim = x[x.length - 1];
    if (x.length !== this.sequenceRank - 1 || typeof inDim !== 'number') throw new ValueError(`${this.className} '${this.name}': a step takes inputs ${this.stepLayout} with known ${this.stepLayout.split(', ').pop()!.slice(0, -1)}, got [${x}]`);
    this.place(this.name, [null, null, ...x.slice(1)], false);
    super.build(shapes);
  }

  /** The shape of one step's output (and of each state) for sequences of shape `s`: [batch, units] here. */
  stepOutputShape(s: Shape): Shape {
    return [s[0], this.units];
  }

  protected call(x: Tensor | Tensor[]): Tensor[] {
    const [input, ...states] = Array.isArray(x) ? x : [x];
    if (input.rank !== this.sequenceRank - 1) throw new ValueError(`${this.className} '${this.name}': a step takes inputs ${this.stepLayout}, got [${input.shape}]`);
    const r = this.impl!.callWithState(reshape(input, [input.shape[0], 1, ...input.shape.slice(1)]), states.length > 0 ? states : undefined);
    return [lastStep(r.output), ...r.states];
  }

  override computeOutputShape(shapes: Shape | Shape[]): Shape[] {
    const x = isShapeList(shapes) ? shapes[0] : shapes;
    const step = this.stepOutputShape([x[0], 1, ...x.slice(1)]);
    return Array.from({ length: 1 + this.stateCount }, (): Shape => [...step]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...this.options };
  }
}

export class SimpleRNNCell extends RNNCell {
  override readonly className = 'SimpleRNNCell';
  readonly stateCount = 1;
  constructor(args: SimpleRNNCellLayerArgs) {
    super(args as Record<string, unknown>, 'SimpleRNNCell', (a) => new SimpleRNN(a));
  }
}

export class LSTMCell extends RNNCell {
  override readonly className = 'LSTMCell';
  readonly stateCount = 2;
  constructor(args: LSTMCellLayerArgs) {
    super(args as Record<string, unknown>, 'LSTMCell', (a) => new LSTM(a as LSTMLayerArgs));
  }
}

export class GRUCell extends RNNCell {
  override readonly className = 'GRUCell';
  readonly stateCount = 1;
  constructor(args: GRUCellLayerArgs) {
    super(args as Record<string, unknown>, 'GRUCell', (a) => new GRU(a as GRULayerArgs));
  }
}

export interface StackedRNNCellsLayerArgs extends LayerArgs {
  cells: RNNCell[];
}

/** Several cells as one: each step feeds one cell's output to the next (tfjs stackedRNNCells). */
export class StackedRNNCells extends Wrapper {
  override readonly className = 'StackedRNNCells';
  readonly cells: RNNCell[];
  constructor(args: StackedRNNCellsLayerArgs) {
    super(args, 'StackedRNNCells');
    this.cells = checkCells('stackedRNNCells', args?.cells);
  }
  protected get inner(): Layer[] {
    return this.cells;
  }
  /** tfjs' stateSize: the cells' state sizes, last cell first. */
  get stateSize(): number[] {
    return [...this.cells].reverse().flatMap((c) => Array.from({ length: c.stateCount }, () => c.units));
  }
  get stateCount(): number {
    return this.cells.reduce((n, c) => n + c.stateCount, 0);
  }
  get units(): number {
    return this.cells[this.cells.length - 1].units;
  }
  /** @internal Places every cell, cell i's weights under `${prefix}/RNNCell_${i}` (tfjs' names). */
  place(prefix: string, inShape: Shape, goBackwards: boolean): void {
    let d = inShape[inShape.length - 1];
    this.cells.forEach((c, i) => {
      // The first cell reverses the sequence; the others read its output, already in processing order.
      c.place(`${prefix}/RNNCell_${i}`, [null, null, d], goBackwards && i === 0);
      d = c.units;
    });
    this.built = true;
  }
  override build(shapes: Shape | Shape[]): void {
    const x = isShapeList(shapes) ? shapes[0] : shapes;
    const inDim = x[x.length - 1];
    if (x.length !== 2 || typeof inDim !== 'number') throw new ValueError(`stackedRNNCells '${this.name}': a step takes inputs [batch, features] with known features, got [${x}]`);
    this.place(this.name, [null, null, inDim], false);
    super.build(shapes);
  }
  /** One step on its own: apply([x, ...states]) with states in tfjs' order (last cell first); [output, ...new states]. */
  protected call(x: Tensor | Tensor[]): Tensor[] {
    const [input, ...states] = Array.isArray(x) ? x : [x];
    const r = runCells(this.cells, reshape(input, [input.shape[0], 1, input.shape[1]]), states.length > 0 ? states : undefined, {}, `stackedRNNCells '${this.name}'`);
    return [lastStep(r.output), ...r.states];
  }
  override computeOutputShape(shapes: Shape | Shape[]): Shape[] {
    const b = (isShapeList(shapes) ? shapes[0] : shapes)[0];
    return [[b, this.units], ...this.stateSize.map((u): Shape => [b, u])];
  }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), cells: this.cells.map((c) => c.toJSON()) };
  }
}

function checkCells(what: string, cells: unknown): RNNCell[] {
  if (!Array.isArray(cells) || cells.length === 0 || !cells.every((c) => c instanceof RNNCell)) {
    throw new ValueError(`${what}: 'cells' must be a non-empty list of simpleRNNCell, lstmCell or gruCell, got ${describe(cells)}`);
  }
  if (cells.some((c) => c.sequenceRank !== 3)) throw new ValueError(`${what}: convolutional cells cannot be stacked (as in tfjs), got ${describe(cells)}`);
  return [...cells];
}

const describe = (v: unknown): string =>
  Array.isArray(v) ? `[${v.map(describe).join(', ')}]` : ((v as { className?: string } | null)?.className ?? (v === null ? 'null' : typeof v));

/**
 * Runs placed cells over a sequence [B, T, F] (cell by cell); `initial` in tfjs' flat order (for several cells: last
 * cell first). The output sequence is in processing order; the final states come back in the same flat order.
 */
function runCells(cells: RNNCell[], x: Tensor, initial: Tensor[] | undefined, args: CallArgs, what: string): RNNResult {
  const total = cells.reduce((n, c) => n + c.stateCount, 0);
  if (initial && initial.length !== total) throw new ValueError(`${what}: initialState must be ${total} tensor(s) (the cells' states), got ${initial.length}`);
  // Split the flat list into each cell's states: tfjs keeps the last cell's first.
  const perCell: (Tensor[] | undefined)[] = cells.map(() => undefined);
  if (initial) {
    let k = 0;
    for (let i = cells.length - 1; i >= 0; i--) {
      perCell[i] = initial.slice(k, k + cells[i].stateCount);
      k += cells[i].stateCount;
    }
  }
  let seq = x;
  const finals: Tensor[][] = [];
  cells.forEach((c, i) => {
    const r = c.impl!.callWithState(seq, perCell[i], args);
    seq = r.output;
    finals.push(r.states);
  });
  return { output: seq, states: cells.length === 1 ? finals[0] : [...finals].reverse().flat() };
}

export interface RNNWrapperLayerArgs extends LayerArgs {
  /** A cell, a list of cells (stacked), or stackedRNNCells. */
  cell: RNNCell | StackedRNNCells | RNNCell[];
  returnSequences?: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  /** Keep states across batches: not supported (must be false). */
  stateful?: boolean;
  /** Accepted for compatibility; the fused kernels never unroll. */
  unroll?: boolean;
  inputDim?: number;
  inputLength?: number;
}

/** tfjs' rnn({cell}): a recurrent layer over any of the cells here (kernels fused per cell). */
export class RNN extends Wrapper {
  protected override readonly acceptsInitialState = true;
  override readonly className = 'RNN';
  readonly cell: RNNCell | StackedRNNCells;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;

  constructor(args: RNNWrapperLayerArgs) {
    const a = args ?? ({} as RNNWrapperLayerArgs);
    const withShape = a.inputShape || a.batchInputShape || (a.inputDim === undefined && a.inputLength === undefined) ? a : { ...a, inputShape: [a.inputLength ?? null, a.inputDim ?? null] };
    super(withShape, 'RNN');
    const c = a.cell;
    if (Array.isArray(c)) this.cell = new StackedRNNCells({ cells: checkCells('rnn', c) });
    else if (c instanceof RNNCell || c instanceof StackedRNNCells) this.cell = c;
    else throw new ValueError(`rnn: 'cell' must be a simpleRNNCell, lstmCell, gruCell, stackedRNNCells or a list of cells, got ${describe(c)}`);
    if (a.stateful) throw new ValueError(`rnn: 'stateful' RNNs are not supported (pass initial states through apply instead)`);
    this.returnSequences = a.returnSequences ?? false;
    this.returnState = a.returnState ?? false;
    this.goBackwards = a.goBackwards ?? false;
  }

  protected get inner(): Layer[] {
    return [this.cell];
  }
  private get cells(): RNNCell[] {
    return this.cell instanceof StackedRNNCells ? this.cell.cells : [this.cell];
  }
  get stateCount(): number {
    return this.cell.stateCount;
  }
  get units(): number {
    return this.cell.units;
  }

  override build(shapes: Shape | Shape[]): void {
    const s = isShapeList(shapes) ? shapes[0] : shapes;
    const inDim = s[s.length - 1];
    const rank = this.cell instanceof RNNCell ? this.cell.sequenceRank : 3;
    if (s.length !== rank || typeof inDim !== 'number') {
      const layout = rank === 3 ? '[batch, steps, features]' : '[batch, steps, height, width, channels]';
      throw new ValueError(`rnn '${this.name}': needs inputs ${layout} with known ${rank === 3 ? 'features' : 'channels'}, got [${s}]`);
    }
    if (this.weightDevice) for (const c of this.cells) c.to(this.weightDevice);
    this.cell.place(this.name, s, this.goBackwards);
    super.build(s);
  }

  /** The layer on `x` [batch, steps, features] from `initialState` (zeros by default): the output and final states. */
  callWithState(x: Tensor, initialState?: Tensor[], args: CallArgs = {}): RNNResult {
    if (!this.built) {
      if (this.weightDevice === null) this.weightDevice = x.device;
      this.build([null, ...x.shape.slice(1)]);
    }
    const r = runCells(this.cells, x, initialState, args, `rnn '${this.name}'`);
    return { output: this.returnSequences ? r.output : lastStep(r.output), states: r.states };
  }

  protected call(x: Tensor | Tensor[], args: CallArgs): Tensor | Tensor[] {
    return applyRecurrent(this, x, args);
  }

  override computeOutputShape(shapes: Shape | Shape[]): Shape | Shape[] {
    const s = isShapeList(shapes) ? shapes[0] : shapes;
    if (this.cell instanceof RNNCell) {
      const step = this.cell.stepOutputShape(s);
      const out: Shape = this.returnSequences ? [s[0], s[1], ...step.slice(1)] : step;
      return this.returnState ? [out, ...Array.from({ length: this.cell.stateCount }, (): Shape => [...step])] : out;
    }
    const out: Shape = this.returnSequences ? [s[0], s[1], this.units] : [s[0], this.units];
    if (!this.returnState) return out;
    return [out, ...this.cell.stateSize.map((u): Shape => [s[0], u])];
  }

  override getConfig(): Record<string, unknown> {
    // As tfjs: a single cell's options also appear at the top level; stacked cells are listed under 'cells'.
    const cellJson = this.cell.toJSON();
    const flat = this.cell instanceof StackedRNNCells ? { cells: this.cell.cells.map((c) => c.toJSON()) } : omit(cellJson.config, ['name', 'trainable']);
    return {
      ...super.getConfig(),
      ...flat,
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: false,
      unroll: false,
      cell: cellJson,
    };
  }
}

function omit(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out = { ...o };
  for (const k of keys) delete out[k];
  return out;
}
