/**
 * The `luohu` command line. Each command lives in `commands/`; this file only wires them to commander
 * and turns every failure into one plain line and a non-zero exit code, never a stack trace.
 */
import { Command, CommanderError, Option } from 'commander';
import type { SimulateOptions } from './commands/simulate.js';
import { processIO } from './io.js';

// Each command's module is imported when that command runs, so `luohu serve` starts without
// loading the checker's output, the simulator or YAML (start-up time).

/** Builds the program; `exit` receives the exit code of the command that ran. */
export function createProgram(exit: (code: number) => void): Command {
  const program = new Command('luohu')
    .description(
      'Shenzhen talent settlement (秒批) consultation: eligibility check, dialogue and chat channels',
    )
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'luohu: ')) });

  program
    .command('check')
    .description('decide a profile (JSON from FILE, or standard input) per the check contract')
    .argument('[file]', 'a profile or an array of profiles as JSON; "-" or absent: standard input')
    .option('--json', 'print the decision as JSON')
    .option('--as-of <date>', 'decision date YYYY-MM-DD (default: today in Asia/Shanghai)')
    .addOption(new Option('--lang <lang>', 'language of the explanation: zh-CN or en').default(undefined))
    .option('--policy <id>', 'policy edition (default: shenzhen-2019)')
    .action(async (file: string | undefined, options) => {
      const { runCheck } = await import('./commands/check.js');
      exit(await runCheck(file, options, processIO));
    });

  const simulate = (name: string, description: string, extra: boolean) => {
    const command = program
      .command(name, { isDefault: name === 'start' })
      .description(description)
      .option('--lang <lang>', 'language: zh-CN (default) or en')
      .option('--as-of <date>', 'decide for this date YYYY-MM-DD (default: today in Asia/Shanghai)');
    if (extra)
      command
        .option('--script <files...>', 'replay dialogue scripts (YAML or JSON) and report any mismatch')
        .option('--record <file>', 'save this session as a dialogue script')
        .option('--jsonl', 'machine mode: one message per line in, one JSON view per line out');
    command.action(async (options: SimulateOptions) => {
      const run =
        name === 'start'
          ? (await import('./commands/serve.js')).runStart
          : (await import('./commands/simulate.js')).runSimulate;
      exit(await run(options, processIO));
    });
  };
  simulate('simulate', 'chat with the consultation in the terminal, or replay/record dialogue scripts', true);
  simulate(
    'start',
    'what `npm start` runs: the Telegram bot if TELEGRAM_BOT_TOKEN is set, else the simulator',
    false,
  );

  program
    .command('serve')
    .description(
      'run the Telegram bot (long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set) and/or the HTTP API',
    )
    .option('--framework <name>', 'grammy (default) or telegraf')
    .option('--http', 'run the HTTP API (LUOHU_HTTP_HOST:LUOHU_HTTP_PORT, default 127.0.0.1:8787)')
    .action(async (options: { framework?: string; http?: boolean }) => {
      const { runServe } = await import('./commands/serve.js');
      const code = await runServe(options, processIO);
      if (code !== 0) exit(code);
    });

  program
    .command('api-key')
    .description('print a new API key for an agency, and its LUOHU_API_KEYS entry (the key is shown once)')
    .argument('[name]', 'a name for the key: A-Z a-z 0-9 _ . - (default: agency)')
    .action(async (name: string | undefined) => {
      const { runApiKey } = await import('./http/api-key.js');
      exit(runApiKey(name, processIO));
    });

  return program;
}

/** Runs the CLI on `argv` (process.argv shape). */
export async function main(argv: readonly string[]): Promise<void> {
  const program = createProgram((code) => {
    process.exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; usage errors were already printed as one line by commander.
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(`luohu: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
