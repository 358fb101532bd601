import { Command, InvalidArgumentError, Option } from 'commander';

/** What the demo was asked to do. */
export interface DemoOptions {
  transport: 'pubsub' | 'cloudtasks' | undefined;
  users: number;
  items: number;
  failRate: number;
  seed: number;
  concurrency: number;
  timeoutSeconds: number;
  progress: boolean;
}

function wholeNumber(minimum: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < minimum) {
      throw new InvalidArgumentError(`expected a whole number >= ${minimum}`);
    }
    return value;
  };
}

function share(text: string): number {
  const value = Number(text);
  if (!(value >= 0 && value <= 1)) {
    throw new InvalidArgumentError('expected a number from 0 to 1');
  }
  return value;
}

/** Parses the command line; prints help and exits on `--help`. */
export function parseDemoOptions(argv: readonly string[]): DemoOptions {
  const program = new Command('demo')
    .description(
      'Saves a batch of users and dispatches updateRelated(user, context) ' +
        'for each to a functions-framework worker, then checks the database.',
    )
    .addOption(
      new Option('--transport <name>', 'carry calls over this transport')
        .choices(['pubsub', 'cloudtasks'])
        .default(undefined, 'pubsub when its emulator is installed'),
    )
    .option('--users <n>', 'users to save', wholeNumber(1), 3000)
    .option('--items <n>', 'related items per user', wholeNumber(0), 5)
    .option('--fail-rate <share>', 'first attempts that throw', share, 0.05)
    .option('--seed <n>', 'seed for repeatable runs', wholeNumber(0), 42)
    .option('--concurrency <n>', 'calls in flight', wholeNumber(1), 64)
    .option('--timeout <seconds>', 'give up after', wholeNumber(1), 300)
    .option('--no-progress', 'no live progress display')
    .parse(argv, { from: 'user' });

  const options = program.opts();
  return {
    transport: options.transport,
    users: options.users,
    items: options.items,
    failRate: options.failRate,
    seed: options.seed,
    concurrency: options.concurrency,
    timeoutSeconds: options.timeout,
    progress: options.progress && Boolean(process.stdout.isTTY),
  };
}
