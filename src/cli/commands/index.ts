import type { CliCommand } from '../io';
import { keysCommand } from './keys';
import { analyzeCommand } from './analyze';
import { getCommand } from './get';
import { tagsCommand } from './tags';
import { purgeCommand } from './purge';
import { statsCommand } from './stats';
import { simulateCommand } from './simulate';
import { ringCommand } from './ring';
import { scaffoldCommand } from './scaffold';

/**
 * Every `cachelens` subcommand, one file each in this folder. Adding a command is one file
 * and one line here.
 */
export const commands: CliCommand[] = [
  keysCommand,
  analyzeCommand,
  getCommand,
  tagsCommand,
  purgeCommand,
  statsCommand,
  simulateCommand,
  ringCommand,
  scaffoldCommand,
];
