export { runCli } from './cli.js';
export { type CliIo, type Command, CommandError, UsageError } from './command.js';
export {
  choiceOption,
  intOption,
  parseArgs,
  parseHostPort,
  parseServer,
  type ServerTarget,
  type OptionSpec,
  type ParsedArgs,
} from './args.js';
