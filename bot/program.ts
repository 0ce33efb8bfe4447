/**
 * The `luohu` command line. Each command lives in `commands/`; this file only wires them to commander
 * and turns every failure into one plain line and a non-zero exit code, never a stack trace.
 */
import { Command, CommanderError, Option } from 'commander';
import en from '../locales/en.json' with { type: 'json' };
import zh from '../locales/zh-CN.json' with { type: 'json' };
import type { SimulateOptions } from './commands/simulate.js';
import { processIO } from './io.js';

type CliSentences = typeof en.cli;

/**
 * The help's language, from the locale of the environment (`LC_ALL`, `LC_MESSAGES`, `LANG`):
 * Chinese for `zh…`, English otherwise (operators' shells are often `C`/`POSIX`).
 */
export function helpLanguage(env: NodeJS.ProcessEnv = process.env): 'zh-CN' | 'en' {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

// Each command's module is imported when that command runs, so `luohu serve` starts without
// loading the checker's output, the simulator or YAML (start-up time).

/**
 * Builds the program; `exit` receives the exit code of the command that ran. Its help is in the
 * language of `env`'s locale ({@link helpLanguage}), from `locales/` (`cli.*`).
 */
export function createProgram(exit: (code: number) => void, env: NodeJS.ProcessEnv = process.env): Command {
  const help: CliSentences = helpLanguage(env) === 'zh-CN' ? zh.cli : en.cli;
  const program = new Command('luohu')
    .description(help.description)
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, 'luohu: ')) });

  program
    .command('check')
    .description(help.check.description)
    .argument('[file]', help.check.file)
    .option('--json', help.check.json)
    .option('--as-of <date>', help.check.asOf)
    .addOption(new Option('--lang <lang>', help.check.lang).default(undefined))
    .option('--policy <id>', help.check.policy)
    .action(async (file: string | undefined, options) => {
      const { runCheck } = await import('./commands/check.js');
      exit(await runCheck(file, options, processIO));
    });

  const simulate = (name: string, description: string, extra: boolean) => {
    const command = program
      .command(name, { isDefault: name === 'start' })
      .description(description)
      .option('--lang <lang>', help.dialogue.lang)
      .option('--as-of <date>', help.dialogue.asOf);
    if (extra)
      command
        .option('--script <files...>', help.simulate.script)
        .option('--record <file>', help.simulate.record)
        .option('--jsonl', help.simulate.jsonl);
    command.action(async (options: SimulateOptions) => {
      const run =
        name === 'start'
          ? (await import('./commands/serve.js')).runStart
          : (await import('./commands/simulate.js')).runSimulate;
      exit(await run(options, processIO));
    });
  };
  simulate('simulate', help.simulate.description, true);
  simulate('start', help.start.description, false);

  program
    .command('serve')
    .description(help.serve.description)
    .option('--framework <name>', help.serve.framework)
    .option('--http', help.serve.http)
    .action(async (options: { framework?: string; http?: boolean }) => {
      const { runServe } = await import('./commands/serve.js');
      const code = await runServe(options, processIO);
      if (code !== 0) exit(code);
    });

  program
    .command('api-key')
    .description(help.apiKey.description)
    .argument('[name]', help.apiKey.name)
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
