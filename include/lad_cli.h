/*
 * lad_cli.h - command-line parsing and --help, both generated from one option table.
 */
#ifndef LAD_CLI_H
#define LAD_CLI_H

#include <stdio.h>

#include "lad_options.h"
#include "lad_status.h"

struct lad_ctx;

enum lad_cli_result {
    LAD_CLI_RUN = 0, /* options parsed: run the command */
    LAD_CLI_EXIT_OK, /* --help or --version was printed: exit 0 */
    LAD_CLI_ERROR    /* bad command line: the message is in ctx, exit 2 */
};

/*
 * Local (every rank parses the same argv, so every rank reaches the same result without talking).
 * Parses `logad COMMAND [options]` into opts (which it first resets to defaults). Help and version
 * text are printed to `out` by rank 0 only.
 */
enum lad_cli_result lad_cli_parse(struct lad_ctx *ctx, int argc, char **argv, struct lad_options *opts,
                                  FILE *out);

/* Local. Prints the help of one command (LAD_CMD_NONE: the command list) to out; each option's
 * default is the one lad_options_defaults sets, from the same table. */
void lad_cli_print_help(enum lad_command cmd, FILE *out);

/* Local. How many defaults of the option table do not parse as their option's kind (0 when sound:
 * lad_options_defaults relies on it). */
int lad_cli_check_defaults(void);

#endif
