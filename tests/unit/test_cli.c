/* test_cli.c - the option table: every default parses, and the default --help shows is the one used. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_cli.h"
#include "lad_options.h"
#include "lad_test.h"

static void test_defaults_parse(void)
{
    CU_ASSERT_EQUAL(lad_cli_check_defaults(), 0);
}

/*
 * The help text of a command, then a command line that gives every option the value its help calls
 * the default ("(default X)" or "(...; default X)", X one word; "(default from preset)" and the like
 * are no values): the options parsed from it equal the options parsed from none.
 */
static void check_help_defaults(enum lad_command cmd, const char *command, char **base, int n_base)
{
    char *help = NULL;
    size_t help_len = 0;
    FILE *out = open_memstream(&help, &help_len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    lad_cli_print_help(cmd, out);
    fclose(out);
    /* One line per option: the wrapped lines (a newline and 32 spaces) joined again. */
    size_t w = 0;
    for (size_t r = 0; r < help_len; r++) {
        if (help[r] == '\n' && help_len - r > 32 && strspn(help + r + 1, " ") >= 32) {
            help[w++] = ' ';
            r += 32;
        } else
            help[w++] = help[r];
    }
    help[w] = '\0';

    char *argv[128];
    int argc = 0, given = 0;
    argv[argc++] = "logad";
    argv[argc++] = (char *)command;
    for (int i = 0; i < n_base; i++)
        argv[argc++] = base[i];
    for (char *line = strtok(help, "\n"); line != NULL && argc + 2 < 128; line = strtok(NULL, "\n")) {
        if (strncmp(line + 6, "--", 2) != 0) /* "      --name" or "  -o, --name" */
            continue;
        const char *def = strstr(line, "(default ");
        if (def == NULL)
            def = strstr(line, "; default "); /* joined to a remark: "(0: never; default 10)" */
        if (def == NULL)
            continue;
        def += strlen(def[0] == '(' ? "(default " : "; default ");
        size_t n = strcspn(def, ")");
        if (memchr(def, ' ', n) != NULL)
            continue;
        argv[argc++] = strndup(line + 6, strcspn(line + 6, " "));
        argv[argc++] = strndup(def, n);
        given++;
    }
    CU_ASSERT(given >= 12); /* run shows 13: the table's defaults of ingest, both models, output and control */

    struct lad_options plain, spelled;
    char *plain_argv[2 + 16] = {"logad", (char *)command};
    for (int i = 0; i < n_base; i++)
        plain_argv[2 + i] = base[i];
    CU_ASSERT_EQUAL_FATAL(lad_cli_parse(&lad_test_ctx, 2 + n_base, plain_argv, &plain, stdout), LAD_CLI_RUN);
    CU_ASSERT_EQUAL_FATAL(lad_cli_parse(&lad_test_ctx, argc, argv, &spelled, stdout), LAD_CLI_RUN);
    CU_ASSERT_EQUAL(plain.chunk_bytes, spelled.chunk_bytes);
    CU_ASSERT_EQUAL(plain.max_line_bytes, spelled.max_line_bytes);
    CU_ASSERT_EQUAL(plain.drain_max_children, spelled.drain_max_children);
    CU_ASSERT_EQUAL(plain.pca_variance, spelled.pca_variance);
    CU_ASSERT_EQUAL(plain.pca_alpha, spelled.pca_alpha);
    CU_ASSERT_EQUAL(plain.pca_refit, spelled.pca_refit);
    CU_ASSERT_EQUAL(plain.lr_lambda, spelled.lr_lambda);
    CU_ASSERT_STRING_EQUAL(plain.lr_class_weight, spelled.lr_class_weight);
    CU_ASSERT_EQUAL(plain.lr_threshold, spelled.lr_threshold);
    CU_ASSERT_EQUAL(plain.lr_max_iter, spelled.lr_max_iter);
    CU_ASSERT_EQUAL(plain.top_events, spelled.top_events);
    CU_ASSERT_EQUAL(plain.log_level, spelled.log_level);
    CU_ASSERT_EQUAL(plain.progress_seconds, spelled.progress_seconds);
    lad_options_free(&plain);
    lad_options_free(&spelled);
    for (int i = 2 + n_base; i < argc; i++)
        free(argv[i]);
    free(help);
}

static void test_help_defaults_are_used(void)
{
    char *run[] = {"--log", "x.log", "--labels", "l.csv", "--model", "both"};
    check_help_defaults(LAD_CMD_RUN, "run", run, 6);
}

static CU_TestInfo tests[] = {
    {"every default in the option table parses", test_defaults_parse},
    {"the defaults --help shows are the ones used", test_help_defaults_are_used},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"cli", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
