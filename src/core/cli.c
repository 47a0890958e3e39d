/*
 * cli.c - one option table drives parsing, validation and --help (IOR's option table).
 *
 * Every rank parses the same argv with no communication, so all ranks reach the same verdict; only
 * rank 0 prints.
 */
#include "lad_cli.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lad_ctx.h"
#include "lad_mem.h"
#include "lad_version.h"

enum arg_kind { ARG_FLAG, ARG_STR, ARG_LIST, ARG_INT, ARG_I64, ARG_U64, ARG_DBL, ARG_SIZE, ARG_LEVEL_UP, ARG_LEVEL_DOWN };

#define CMD(c) (1u << (c))
#define C_PRE CMD(LAD_CMD_PREPROCESS)
#define C_FEA CMD(LAD_CMD_FEATURES)
#define C_TRN CMD(LAD_CMD_TRAIN)
#define C_DET CMD(LAD_CMD_DETECT)
#define C_RUN CMD(LAD_CMD_RUN)
#define C_SYN CMD(LAD_CMD_SYNTH)
#define C_EVA CMD(LAD_CMD_PARSE_EVAL)
#define C_INGEST (C_PRE | C_TRN | C_DET | C_RUN)
#define C_ALL 0xffffffffu

struct option_spec {
    const char *name;   /* long name without the dashes */
    char short_name;    /* 0 if none */
    enum arg_kind kind;
    size_t offset;      /* into struct lad_options */
    unsigned commands;  /* bit mask of the commands that accept it */
    const char *metavar;
    const char *help;
    const char *def;      /* the default as command-line text, set by lad_options_defaults and shown by
                           * --help; NULL: zero, or a default that depends on other settings (the help says) */
    const char *def_help; /* what --help says instead of def, where the value itself would not explain it */
};

#define OFF(f) offsetof(struct lad_options, f)

static const struct option_spec option_table[] = {
    /* inputs and parsing */
    {"log", 0, ARG_LIST, OFF(logs), C_INGEST, "FILE|DIR",
     "input log file, or a directory whose regular files are all read (repeatable)", NULL, NULL},
    {"templates", 0, ARG_STR, OFF(templates_path), C_INGEST, "FILE",
     "event templates in loghub's EventId,EventTemplate CSV (<*> wildcards); without it templates are mined",
     NULL, NULL},
    {"log-format", 0, ARG_STR, OFF(log_format), C_INGEST, "FMT",
     "header format in logparser notation, e.g. '<Date> <Time> <Pid> <Level> <Component>: <Content>'", NULL, NULL},
    {"preset", 0, ARG_STR, OFF(preset), C_INGEST, "NAME",
     "log format and mining settings of a loghub system (hdfs, bgl, spark, ...; default hdfs)", NULL, NULL},
    {"mask", 0, ARG_LIST, OFF(masks), C_INGEST, "REGEX",
     "extra variable pattern (PCRE2) replaced by <*> before mining (repeatable)", NULL, NULL},
    {"no-builtin-masks", 0, ARG_FLAG, OFF(no_builtin_masks), C_INGEST, NULL,
     "do not mask numbers, hex, IPs, paths and block ids before mining", NULL, NULL},
    {"drain-depth", 0, ARG_INT, OFF(drain_depth), C_INGEST, "N",
     "Drain parse-tree depth (default from preset)", NULL, NULL},
    {"drain-sim", 0, ARG_DBL, OFF(drain_similarity), C_INGEST, "X",
     "Drain similarity threshold in (0,1] (default from preset)", NULL, NULL},
    {"drain-max-children", 0, ARG_INT, OFF(drain_max_children), C_INGEST, "N",
     "Drain maximum children per tree node", "100", NULL},
    {"window", 0, ARG_STR, OFF(window), C_INGEST, "SPEC",
     "session key: fixed:SECONDS or sliding:SIZE,STEP time windows instead of HDFS block ids", NULL, NULL},
    {"structured-out", 0, ARG_STR, OFF(structured_out), C_INGEST, "FILE",
     "also write a loghub-style *_structured.csv (one row per line, with its event)", NULL, NULL},
    {"templates-out", 0, ARG_STR, OFF(templates_out), C_INGEST, "FILE",
     "also write a loghub-style *_templates.csv", NULL, NULL},
    {"chunk-size", 0, ARG_SIZE, OFF(chunk_bytes), C_INGEST, "BYTES", "bytes per MPI-IO read (K/M/G suffixes)",
     "16M", NULL},
    {"max-line", 0, ARG_SIZE, OFF(max_line_bytes), C_INGEST, "BYTES",
     "longest line parsed; longer lines are skipped and reported", "1M", NULL},

    /* features and models */
    {"features", 0, ARG_STR, OFF(features_path), C_FEA | C_TRN | C_DET, "FILE.h5",
     "event-count features written by preprocess (instead of --log)", NULL, NULL},
    {"out", 'o', ARG_STR, OFF(out_path), C_PRE | C_FEA | C_DET | C_RUN | C_SYN, "PATH",
     "output: FILE.h5 for preprocess/features, DIR for run/detect, FILE.log for synth", NULL, NULL},
    {"labels", 0, ARG_STR, OFF(labels_path), C_TRN | C_DET | C_RUN, "CSV",
     "block labels (loghub anomaly_label.csv: BlockId,Label)", NULL, NULL},
    {"line-labels", 0, ARG_FLAG, OFF(line_labels), C_TRN | C_DET | C_RUN, NULL,
     "label --window sessions from the log itself: a window is anomalous when any of its lines has a <Label> "
     "field other than '-' (BGL, Thunderbird)", NULL, NULL},
    {"model", 'm', ARG_STR, OFF(model_name), C_TRN | C_RUN, "KIND", LAD_MODEL_NAME_PCA ", " LAD_MODEL_NAME_LOGREG " or both", NULL,
     NULL},
    {"model-in", 0, ARG_STR, OFF(model_in), C_DET, "FILE.h5", "trained model file", NULL, NULL},
    {"model-out", 0, ARG_STR, OFF(model_out), C_TRN, "FILE.h5",
     "model file to write (default models/<model>.h5)", NULL, NULL},
    {"models-dir", 0, ARG_STR, OFF(models_dir), C_TRN | C_RUN, "DIR",
     "where the trained models go, as DIR/<model>.h5 (default models; run --out OUT: OUT/models)", NULL, NULL},
    {"transform", 0, ARG_STR, OFF(transform), C_FEA | C_TRN | C_RUN, "LIST",
     "feature transform: comma list of tfidf, center, log, or none (default per model)", NULL, NULL},
    {"pca-variance", 0, ARG_DBL, OFF(pca_variance), C_TRN | C_RUN, "X",
     "explained variance kept by the PCA normal subspace", "0.95", NULL},
    {"pca-k", 0, ARG_INT, OFF(pca_k), C_TRN | C_RUN, "K",
     "PCA normal-subspace dimension (overrides --pca-variance)", NULL, NULL},
    {"pca-alpha", 0, ARG_DBL, OFF(pca_alpha), C_TRN | C_RUN, "A", "Q-statistic significance level", "0.001", NULL},
    {"pca-refit", 0, ARG_INT, OFF(pca_refit), C_TRN | C_RUN, "N",
     "refit N times without the training blocks the previous fit flags, so anomalies in the training data do "
     "not inflate the threshold (0: a single fit)", "1", NULL},
    {"lr-lambda", 0, ARG_DBL, OFF(lr_lambda), C_TRN | C_RUN, "X", "L2 strength on the mean log-loss", "1e-5", NULL},
    {"lr-class-weight", 0, ARG_STR, OFF(lr_class_weight), C_TRN | C_RUN, "W", "none or balanced", "none", NULL},
    {"lr-threshold", 0, ARG_DBL, OFF(lr_threshold), C_TRN | C_RUN, "P",
     "anomaly probability above which a block is flagged", "0.5", NULL},
    {"lr-max-iter", 0, ARG_INT, OFF(lr_max_iter), C_TRN | C_RUN, "N", "Newton iterations at most", "50", NULL},
    {"top-events", 0, ARG_INT, OFF(top_events), C_DET | C_RUN, "N",
     "events named per anomalous block as its main contributors", "3", NULL},
    {"no-report", 0, ARG_FLAG, OFF(no_report), C_DET | C_RUN, NULL,
     "do not write DIR/report.html (plots of the results)", NULL, NULL},

    /* synth */
    {"sessions", 0, ARG_STR, OFF(sessions_path), C_SYN, "FILE.tsv",
     "labelled event-key sessions (Label<TAB>keys)", NULL, NULL},
    {"labels-out", 0, ARG_STR, OFF(labels_out), C_SYN, "FILE.csv",
     "where to write BlockId,Label for the synthetic log", NULL, NULL},
    {"normal", 0, ARG_I64, OFF(synth_normal), C_SYN, "N", "normal blocks to write, resampled", "-1",
     "as in the file"},
    {"anomalies", 0, ARG_I64, OFF(synth_anomalies), C_SYN, "M", "anomalous blocks to write, resampled", "-1",
     "as in the file"},
    {"seed", 0, ARG_U64, OFF(seed), C_SYN, "S", "seed of every random choice", "1", NULL},
    {"blocks-per-second", 0, ARG_DBL, OFF(synth_rate), C_SYN, "R",
     "new blocks per second of log time (HDFS_v1 has about 4)", "4", NULL},

    /* parse-eval */
    {"truth", 0, ARG_STR, OFF(truth_path), C_EVA, "CSV", "ground-truth loghub *_structured.csv", NULL, NULL},
    {"parsed", 0, ARG_STR, OFF(parsed_path), C_EVA, "CSV", "structured CSV written by --structured-out", NULL, NULL},

    /* run control */
    {"threads", 't', ARG_INT, OFF(threads), C_ALL, "N",
     "OpenMP threads per rank (default OMP_NUM_THREADS, else SLURM_CPUS_PER_TASK, else OpenMP's default)",
     NULL, NULL},
    {"progress", 0, ARG_DBL, OFF(progress_seconds), C_ALL, "SECONDS",
     "rank 0 reports progress at most this often (0: never)", "10", NULL},
    {"summary", 0, ARG_STR, OFF(summary_path), C_ALL, "FILE.json",
     "write a JSON run summary (config, counts, timings)", NULL, NULL},
    {"log-level", 0, ARG_INT, OFF(log_level), C_ALL, "N", "0 quiet, 1 warnings, 2 info, 3 verbose, 4 debug",
     "2", NULL},
    {"quiet", 'q', ARG_LEVEL_DOWN, OFF(log_level), C_ALL, NULL, "print errors and warnings only", NULL, NULL},
    {"verbose", 'v', ARG_LEVEL_UP, OFF(log_level), C_ALL, NULL, "print more (repeat for debug output)", NULL, NULL},
};
#define N_OPTIONS (sizeof option_table / sizeof option_table[0])

static const struct {
    const char *name;
    const char *summary;
    const char *usage;
} command_table[LAD_CMD_COUNT] = {
    [LAD_CMD_PREPROCESS] = {"preprocess", "partition, parse and count events per block into features.h5",
                            "--log FILE [--log FILE ...] [--templates FILE] [--out FILE.h5]"},
    [LAD_CMD_FEATURES] = {"features", "apply a feature transform (TF-IDF, centering) and store the matrix",
                          "[--features FILE.h5] [--transform LIST] [--out FILE.h5]"},
    [LAD_CMD_TRAIN] = {"train", "train a PCA or logistic-regression detector",
                       "--model " LAD_MODEL_CHOICES_USAGE " (--log FILE ... | --features FILE.h5) [--labels CSV] [--model-out FILE.h5]"},
    [LAD_CMD_DETECT] = {"detect", "score every block of new logs with a trained model",
                        "--model-in FILE.h5 (--log FILE ... | --features FILE.h5) [--labels CSV] [--out DIR]"},
    [LAD_CMD_RUN] = {"run", "all stages in one job: preprocess, train, detect",
                     "--log FILE [--log FILE ...] [--labels CSV] [--model " LAD_MODEL_CHOICES_USAGE "] [--out DIR]"},
    [LAD_CMD_SYNTH] = {"synth", "write a labelled synthetic HDFS log from real labelled sessions",
                       "--sessions FILE.tsv --out FILE.log --labels-out FILE.csv [--normal N] [--anomalies M] [--seed S]"},
    [LAD_CMD_PARSE_EVAL] = {"parse-eval", "grouping accuracy of a structured CSV against loghub ground truth",
                            "--truth FILE.csv --parsed FILE.csv"},
};

const char *lad_command_name(enum lad_command cmd)
{
    if (cmd <= LAD_CMD_NONE || cmd >= LAD_CMD_COUNT)
        return "logad";
    return command_table[cmd].name;
}


void lad_options_free(struct lad_options *o)
{
    lad_free(&o->logs.items);
    lad_free(&o->masks.items);
    lad_free(&o->models_dir_buf);
    o->logs.n = o->logs.cap = o->masks.n = o->masks.cap = 0;
}

static void print_wrapped(FILE *out, const char *text, int indent, int width)
{
    int col = indent;
    const char *p = text;
    while (*p) {
        const char *sp = strchr(p, ' ');
        int len = sp ? (int)(sp - p) : (int)strlen(p);
        if (col + len > width && col > indent) {
            fprintf(out, "\n%*s", indent, "");
            col = indent;
        }
        fprintf(out, "%.*s", len, p);
        col += len;
        p += len;
        if (*p == ' ') {
            fputc(' ', out);
            col++;
            p++;
        }
    }
    fputc('\n', out);
}

void lad_cli_print_help(enum lad_command cmd, FILE *out)
{
    if (cmd <= LAD_CMD_NONE || cmd >= LAD_CMD_COUNT) {
        fprintf(out, "logad %s - anomaly detection in large system logs, as one MPI job\n\n", LAD_VERSION);
        fprintf(out, "usage: mpirun -n N logad COMMAND [options]\n\ncommands:\n");
        for (int c = 1; c < LAD_CMD_COUNT; c++)
            fprintf(out, "  %-11s %s\n", command_table[c].name, command_table[c].summary);
        fprintf(out, "\n'logad COMMAND --help' lists the options of a command. Exit status: 0 success,\n"
                     "1 failure (one line on stderr says why), 2 bad command line.\n");
        return;
    }
    fprintf(out, "usage: logad %s %s\n\n%s.\n\noptions:\n", command_table[cmd].name, command_table[cmd].usage,
            command_table[cmd].summary);
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const struct option_spec *s = &option_table[i];
        if (!(s->commands & CMD(cmd)))
            continue;
        char left[64];
        int n = s->short_name ? snprintf(left, sizeof left, "  -%c, --%s", s->short_name, s->name)
                              : snprintf(left, sizeof left, "      --%s", s->name);
        if (s->metavar)
            snprintf(left + n, sizeof left - (size_t)n, " %s", s->metavar);
        if (strlen(left) > 30)
            fprintf(out, "%s\n%32s", left, "");
        else
            fprintf(out, "%-32s", left);
        /* The default joins a closing remark of the help: "(0: never; default 10)". */
        char text[512];
        size_t n_help = strlen(s->help);
        bool remark = n_help > 0 && s->help[n_help - 1] == ')';
        if (s->def != NULL || s->def_help != NULL)
            snprintf(text, sizeof text, "%.*s%sdefault%s%s)", (int)(n_help - remark), s->help, remark ? "; " : " (",
                     s->def_help ? ": " : " ", s->def_help ? s->def_help : s->def);
        else
            snprintf(text, sizeof text, "%s", s->help);
        print_wrapped(out, text, 32, 100);
    }
    fprintf(out, "  -h, --help                    show this help\n");
}

static int find_command(const char *name)
{
    for (int c = 1; c < LAD_CMD_COUNT; c++)
        if (strcmp(name, command_table[c].name) == 0)
            return c;
    return LAD_CMD_NONE;
}

static const struct option_spec *find_option(const char *arg, const char **inline_value)
{
    *inline_value = NULL;
    if (arg[0] != '-')
        return NULL;
    if (arg[1] != '-') { /* -x */
        if (arg[1] == '\0' || arg[2] != '\0')
            return NULL;
        for (size_t i = 0; i < N_OPTIONS; i++)
            if (option_table[i].short_name == arg[1])
                return &option_table[i];
        return NULL;
    }
    const char *name = arg + 2;
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    for (size_t i = 0; i < N_OPTIONS; i++) {
        if (strlen(option_table[i].name) == len && strncmp(option_table[i].name, name, len) == 0) {
            if (eq)
                *inline_value = eq + 1;
            return &option_table[i];
        }
    }
    return NULL;
}

static bool parse_size(const char *s, size_t *out)
{
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno || s[0] == '-')
        return false;
    unsigned long long mult = 1;
    switch (*end) {
    case 'k': case 'K': mult = 1ULL << 10; end++; break;
    case 'm': case 'M': mult = 1ULL << 20; end++; break;
    case 'g': case 'G': mult = 1ULL << 30; end++; break;
    default: break;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end != '\0' || (v != 0 && mult > ULLONG_MAX / v))
        return false;
    *out = (size_t)(v * mult);
    return true;
}

/* Stores the value text of an option of a scalar kind into o; false when it is not one of its kind. */
static bool parse_scalar(const struct option_spec *s, const char *value, struct lad_options *o)
{
    char *field = (char *)o + s->offset;
    char *end;
    errno = 0;
    switch (s->kind) {
    case ARG_STR:
        *(const char **)field = value;
        return true;
    case ARG_INT: {
        long v = strtol(value, &end, 10);
        if (end == value || *end || errno || v < INT_MIN || v > INT_MAX)
            break;
        *(int *)field = (int)v;
        return true;
    }
    case ARG_I64: {
        long long v = strtoll(value, &end, 10);
        if (end == value || *end || errno)
            break;
        *(int64_t *)field = (int64_t)v;
        return true;
    }
    case ARG_U64: {
        unsigned long long v = strtoull(value, &end, 10);
        if (end == value || *end || errno || value[0] == '-')
            break;
        *(uint64_t *)field = (uint64_t)v;
        return true;
    }
    case ARG_DBL: {
        double v = strtod(value, &end);
        if (end == value || *end || errno || !isfinite(v))
            break;
        *(double *)field = v;
        return true;
    }
    case ARG_SIZE:
        return parse_size(value, (size_t *)field);
    default:
        break;
    }
    return false;
}

static enum lad_status set_value(struct lad_ctx *ctx, const struct option_spec *s, const char *value,
                                 struct lad_options *o)
{
    if (s->kind == ARG_LIST) {
        struct lad_strlist *l = (struct lad_strlist *)((char *)o + s->offset);
        size_t cap = (size_t)l->cap;
        void *items = (void *)l->items;
        if (!lad_grow(&items, &cap, (size_t)l->n + 1, sizeof(char *)))
            return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory parsing options");
        l->items = items;
        l->cap = (int)cap;
        l->items[l->n++] = value;
        return LAD_OK;
    }
    if (s->kind == ARG_FLAG || s->kind == ARG_LEVEL_UP || s->kind == ARG_LEVEL_DOWN)
        return lad_fail(ctx, LAD_ERR_INTERNAL, "option --%s takes no value", s->name);
    if (parse_scalar(s, value, o))
        return LAD_OK;
    return lad_fail(ctx, LAD_ERR_USAGE, "--%s: '%s' is not a valid %s", s->name, value,
                    s->kind == ARG_DBL ? "number" : s->kind == ARG_SIZE ? "size" : "integer");
}

void lad_options_defaults(struct lad_options *o)
{
    memset(o, 0, sizeof *o);
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (option_table[i].def != NULL)
            (void)parse_scalar(&option_table[i], option_table[i].def, o); /* lad_cli_check_defaults: all parse */
}

int lad_cli_check_defaults(void)
{
    int bad = 0;
    struct lad_options o;
    memset(&o, 0, sizeof o);
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (option_table[i].def != NULL && !parse_scalar(&option_table[i], option_table[i].def, &o))
            bad++;
    return bad;
}

const struct lad_model_choice lad_model_choices[LAD_N_MODEL_CHOICES] = {
    {LAD_MODEL_PCA, LAD_MODEL_NAME_PCA},
    {LAD_MODEL_LOGREG, LAD_MODEL_NAME_LOGREG},
};

static enum lad_status parse_model_kind(struct lad_ctx *ctx, struct lad_options *o)
{
    if (o->model_name == NULL)
        return LAD_OK;
    if (strcmp(o->model_name, "both") == 0) {
        o->model_kind = LAD_MODEL_BOTH;
        return LAD_OK;
    }
    for (int k = 0; k < LAD_N_MODEL_CHOICES; k++)
        if (strcmp(o->model_name, lad_model_choices[k].name) == 0) {
            o->model_kind = lad_model_choices[k].kind;
            return LAD_OK;
        }
    return lad_fail(ctx, LAD_ERR_USAGE, "--model: unknown model '%s' (choose " LAD_MODEL_NAME_PCA ", "
                    LAD_MODEL_NAME_LOGREG " or both)", o->model_name);
}

/* Checks that need several options at once, or a value's range. */
static enum lad_status validate(struct lad_ctx *ctx, struct lad_options *o)
{
    enum lad_command c = o->command;
    const char *cmd = lad_command_name(c);
    if (parse_model_kind(ctx, o) != LAD_OK)
        return LAD_ERR_USAGE;
    if ((c == LAD_CMD_PREPROCESS || c == LAD_CMD_RUN) && o->logs.n == 0)
        return lad_fail(ctx, LAD_ERR_USAGE, "%s: no input: give --log FILE", cmd);
    if ((c == LAD_CMD_TRAIN || c == LAD_CMD_DETECT) && (o->logs.n == 0) == (o->features_path == NULL))
        return lad_fail(ctx, LAD_ERR_USAGE, "%s: give either --log FILE ... or --features FILE.h5", cmd);
    if (c == LAD_CMD_TRAIN && o->model_kind == LAD_MODEL_NONE)
        return lad_fail(ctx, LAD_ERR_USAGE, "train: --model " LAD_MODEL_CHOICES_USAGE " is required");
    bool labelled = o->labels_path != NULL || o->line_labels;
    if (c == LAD_CMD_TRAIN && (o->model_kind & LAD_MODEL_LOGREG) && !labelled)
        return lad_fail(ctx, LAD_ERR_USAGE, "train: --model logreg needs --labels CSV (or --line-labels)");
    if (c == LAD_CMD_RUN && o->model_kind != LAD_MODEL_NONE && (o->model_kind & LAD_MODEL_LOGREG) && !labelled)
        return lad_fail(ctx, LAD_ERR_USAGE, "run: --model %s needs --labels CSV (or --line-labels)", o->model_name);
    if (c == LAD_CMD_TRAIN && o->model_kind == LAD_MODEL_BOTH && o->model_out != NULL)
        return lad_fail(ctx, LAD_ERR_USAGE, "train: --model-out names one file; with --model both, models go to "
                                            "DIR/" LAD_MODEL_NAME_PCA ".h5 and DIR/" LAD_MODEL_NAME_LOGREG
                                            ".h5 of --models-dir DIR (default models)");
    if (c == LAD_CMD_DETECT && o->model_in == NULL)
        return lad_fail(ctx, LAD_ERR_USAGE, "detect: --model-in FILE.h5 is required");
    if (o->features_path && (o->structured_out || o->templates_out))
        return lad_fail(ctx, LAD_ERR_USAGE, "%s: --%s describes parsed log lines; with --features no log is parsed",
                        cmd, o->structured_out ? "structured-out" : "templates-out");
    /* run --out DIR keeps the models it trains beside its results, unless --models-dir says otherwise. */
    if (c == LAD_CMD_RUN && o->out_path && o->models_dir == NULL) {
        size_t n = strlen(o->out_path) + sizeof "/models";
        o->models_dir_buf = malloc(n);
        if (o->models_dir_buf == NULL)
            return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory parsing options");
        snprintf(o->models_dir_buf, n, "%s/models", o->out_path);
        o->models_dir = o->models_dir_buf;
    }
    if (c == LAD_CMD_SYNTH && (o->sessions_path == NULL || o->out_path == NULL || o->labels_out == NULL))
        return lad_fail(ctx, LAD_ERR_USAGE, "synth: --sessions, --out and --labels-out are required");
    if (c == LAD_CMD_PARSE_EVAL && (o->truth_path == NULL || o->parsed_path == NULL))
        return lad_fail(ctx, LAD_ERR_USAGE, "parse-eval: --truth and --parsed are required");
    if (o->labels_path != NULL && o->window != NULL)
        return lad_fail(ctx, LAD_ERR_USAGE, "--labels name HDFS blocks; they cannot be used with --window sessions: "
                                            "use --line-labels (labels from the log's <Label> field)");
    if (o->labels_path != NULL && o->line_labels)
        return lad_fail(ctx, LAD_ERR_USAGE, "give either --labels or --line-labels, not both");
    if (o->line_labels && o->features_path != NULL)
        return lad_fail(ctx, LAD_ERR_USAGE, "--line-labels reads the labels from the log lines: give --log, not "
                                            "--features");
    if (o->templates_path != NULL && o->masks.n > 0)
        return lad_fail(ctx, LAD_ERR_USAGE, "--mask applies to template mining; it cannot be used with --templates");
    if (o->chunk_bytes < 4096 || o->chunk_bytes > ((size_t)1 << 31))
        return lad_fail(ctx, LAD_ERR_USAGE, "--chunk-size must be between 4K and 2G");
    if (o->max_line_bytes < 64 || o->max_line_bytes > ((size_t)1 << 30))
        return lad_fail(ctx, LAD_ERR_USAGE, "--max-line must be between 64 and 1G");
    if (o->drain_depth != 0 && (o->drain_depth < 3 || o->drain_depth > 32))
        return lad_fail(ctx, LAD_ERR_USAGE, "--drain-depth must be between 3 and 32");
    if (o->drain_similarity != 0 && !(o->drain_similarity > 0 && o->drain_similarity <= 1))
        return lad_fail(ctx, LAD_ERR_USAGE, "--drain-sim must be in (0, 1]");
    if (o->drain_max_children < 1)
        return lad_fail(ctx, LAD_ERR_USAGE, "--drain-max-children must be at least 1");
    if (!(o->pca_variance > 0 && o->pca_variance <= 1))
        return lad_fail(ctx, LAD_ERR_USAGE, "--pca-variance must be in (0, 1]");
    if (o->pca_k < 0)
        return lad_fail(ctx, LAD_ERR_USAGE, "--pca-k must be positive");
    if (o->pca_refit < 0 || o->pca_refit > 10)
        return lad_fail(ctx, LAD_ERR_USAGE, "--pca-refit must be between 0 and 10");
    if (!(o->pca_alpha > 0 && o->pca_alpha < 0.5))
        return lad_fail(ctx, LAD_ERR_USAGE, "--pca-alpha must be in (0, 0.5)");
    if (!(o->lr_lambda >= 0))
        return lad_fail(ctx, LAD_ERR_USAGE, "--lr-lambda must be >= 0");
    if (strcmp(o->lr_class_weight, "none") != 0 && strcmp(o->lr_class_weight, "balanced") != 0)
        return lad_fail(ctx, LAD_ERR_USAGE, "--lr-class-weight must be none or balanced");
    if (!(o->lr_threshold > 0 && o->lr_threshold < 1))
        return lad_fail(ctx, LAD_ERR_USAGE, "--lr-threshold must be in (0, 1)");
    if (o->lr_max_iter < 1)
        return lad_fail(ctx, LAD_ERR_USAGE, "--lr-max-iter must be at least 1");
    if (o->top_events < 0 || o->top_events > 16)
        return lad_fail(ctx, LAD_ERR_USAGE, "--top-events must be between 0 and 16");
    if (o->threads < 0 || o->threads > 4096)
        return lad_fail(ctx, LAD_ERR_USAGE, "--threads must be between 1 and 4096");
    if (o->log_level < 0)
        o->log_level = 0;
    if (o->log_level > 4)
        o->log_level = 4;
    if (c == LAD_CMD_SYNTH && (o->synth_normal < -1 || o->synth_anomalies < -1))
        return lad_fail(ctx, LAD_ERR_USAGE, "synth: --normal and --anomalies must be >= 0");
    if (c == LAD_CMD_SYNTH && !(o->synth_rate > 0))
        return lad_fail(ctx, LAD_ERR_USAGE, "synth: --blocks-per-second must be > 0");
    return LAD_OK;
}

enum lad_cli_result lad_cli_parse(struct lad_ctx *ctx, int argc, char **argv, struct lad_options *o, FILE *out)
{
    lad_options_defaults(o);
    if (argc < 2) {
        lad_fail(ctx, LAD_ERR_USAGE, "no command given (try 'logad --help')");
        return LAD_CLI_ERROR;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        if (ctx->rank == 0)
            lad_cli_print_help(LAD_CMD_NONE, out);
        return LAD_CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        if (ctx->rank == 0)
            fprintf(out, "logad %s\n", LAD_VERSION);
        return LAD_CLI_EXIT_OK;
    }
    int cmd = find_command(argv[1]);
    if (cmd == LAD_CMD_NONE) {
        lad_fail(ctx, LAD_ERR_USAGE, "unknown command '%s' (try 'logad --help')", argv[1]);
        return LAD_CLI_ERROR;
    }
    o->command = (enum lad_command)cmd;
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            if (ctx->rank == 0)
                lad_cli_print_help(o->command, out);
            return LAD_CLI_EXIT_OK;
        }
        const char *inline_value;
        const struct option_spec *s = find_option(arg, &inline_value);
        if (s == NULL || !(s->commands & CMD(cmd))) {
            if (arg[0] == '-')
                lad_fail(ctx, LAD_ERR_USAGE, "%s: unknown option '%s' (try 'logad %s --help')", argv[1], arg, argv[1]);
            else
                lad_fail(ctx, LAD_ERR_USAGE, "%s: unexpected argument '%s' (inputs are given with --log)", argv[1], arg);
            return LAD_CLI_ERROR;
        }
        if (s->kind == ARG_FLAG || s->kind == ARG_LEVEL_UP || s->kind == ARG_LEVEL_DOWN) {
            if (inline_value) {
                lad_fail(ctx, LAD_ERR_USAGE, "--%s takes no value", s->name);
                return LAD_CLI_ERROR;
            }
            int *lvl = (int *)((char *)o + s->offset);
            if (s->kind == ARG_FLAG)
                *(bool *)((char *)o + s->offset) = true;
            else if (s->kind == ARG_LEVEL_UP)
                (*lvl)++;
            else
                *lvl = 1;
            continue;
        }
        const char *value = inline_value;
        if (value == NULL) {
            if (i + 1 >= argc) {
                lad_fail(ctx, LAD_ERR_USAGE, "--%s needs a value (%s)", s->name, s->metavar);
                return LAD_CLI_ERROR;
            }
            value = argv[++i];
        }
        if (set_value(ctx, s, value, o) != LAD_OK)
            return LAD_CLI_ERROR;
    }
    if (validate(ctx, o) != LAD_OK)
        return LAD_CLI_ERROR;
    return LAD_CLI_RUN;
}
