import type { CliCommand } from '../io';

/**
 * Every `cachelens` subcommand, one file each in this folder. Adding a command is one file
 * and one line here.
 */
export const commands: CliCommand[] = [
];
