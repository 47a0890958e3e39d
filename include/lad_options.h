/*
 * lad_options.h - the options of every logad command, filled by lad_cli_parse from one option table.
 *
 * Strings point into argv (never freed); lists are arrays owned by the struct (lad_options_free).
 */
#ifndef LAD_OPTIONS_H
#define LAD_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum lad_command {
    LAD_CMD_NONE = 0,
    LAD_CMD_PREPROCESS, /* logs -> features.h5 */
    LAD_CMD_FEATURES,   /* features.h5 -> transformed matrix (inspection/export) */
    LAD_CMD_TRAIN,      /* logs or features.h5 -> model file */
    LAD_CMD_DETECT,     /* model + logs or features.h5 -> verdicts */
    LAD_CMD_RUN,        /* all stages in one job */
    LAD_CMD_SYNTH,      /* labelled HDFS sessions -> raw log + labels */
    LAD_CMD_PARSE_EVAL, /* grouping accuracy of a structured CSV against ground truth */
    LAD_CMD_COUNT
};

/* The detectors' names: --model's choices, a model file's kind, models/<name>.h5, results'
 * anomalies_<name>.csv. The model layer's detector table (lad_detector.h) names its entries so. */
#define LAD_MODEL_NAME_PCA "pca"
#define LAD_MODEL_NAME_LOGREG "logreg"
#define LAD_MODEL_CHOICES_USAGE LAD_MODEL_NAME_PCA "|" LAD_MODEL_NAME_LOGREG "|both" /* for usage lines */

/* Which detectors a command trains or applies. */
enum lad_model_kind {
    LAD_MODEL_NONE = 0,
    LAD_MODEL_PCA = 1,
    LAD_MODEL_LOGREG = 2,
    LAD_MODEL_BOTH = 3 /* PCA | LOGREG */
};

/* Each detector's bit of enum lad_model_kind with its name, in the order they run (cli.c). */
#define LAD_N_MODEL_CHOICES 2
struct lad_model_choice {
    enum lad_model_kind kind;
    const char *name;
};
extern const struct lad_model_choice lad_model_choices[LAD_N_MODEL_CHOICES];

/* A list of strings from a repeatable option. */
struct lad_strlist {
    const char **items;
    int n;
    int cap;
};

struct lad_options {
    enum lad_command command;

    /* ---- inputs and parsing ---- */
    struct lad_strlist logs;         /* --log FILE|DIR, repeatable */
    const char *templates_path;      /* --templates FILE (loghub EventId,EventTemplate); NULL: mine */
    const char *log_format;          /* --log-format '<Date> <Time> ...'; NULL: from preset */
    const char *preset;              /* --preset hdfs|bgl|...; default hdfs */
    struct lad_strlist masks;        /* --mask REGEX, repeatable (user variable patterns, PCRE2) */
    bool no_builtin_masks;           /* --no-builtin-masks */
    int drain_depth;                 /* --drain-depth; 0: from preset */
    double drain_similarity;         /* --drain-sim; 0: from preset */
    int drain_max_children;          /* --drain-max-children */
    const char *window;              /* --window fixed:SECONDS | sliding:SIZE,STEP; NULL: HDFS block ids */
    const char *structured_out;      /* --structured-out FILE (loghub *_structured.csv) */
    const char *templates_out;       /* --templates-out FILE (loghub *_templates.csv) */
    size_t chunk_bytes;              /* --chunk-size (bytes read per MPI-IO call) */
    size_t max_line_bytes;           /* --max-line (longer lines are skipped and reported) */

    /* ---- features and models ---- */
    const char *features_path;       /* --features FILE.h5 (input of features/train/detect) */
    const char *out_path;            /* --out: FILE.h5 (preprocess, features) or DIR (run, detect) */
    const char *labels_path;         /* --labels anomaly_label.csv */
    bool line_labels;                /* --line-labels: windows labelled by their lines' <Label> field */
    const char *model_name;          /* --model pca|logreg|both */
    enum lad_model_kind model_kind;  /* parsed from model_name */
    const char *model_in;            /* --model-in FILE.h5 (detect) */
    const char *model_out;           /* --model-out FILE.h5 (train); default models/<model>.h5 */
    const char *models_dir;          /* --models-dir (run, train: where to keep trained models); run --out
                                      * DIR without it: DIR/models (in models_dir_buf) */
    char *models_dir_buf;            /* owned: the derived run --out DIR/models */
    const char *transform;           /* --transform: comma list of tfidf,center,log (or "none") */
    double pca_variance;             /* --pca-variance (explained variance that fixes k) */
    int pca_k;                       /* --pca-k (0: from variance) */
    double pca_alpha;                /* --pca-alpha (Q-statistic significance) */
    int pca_refit;                   /* --pca-refit (refits without the training blocks flagged) */
    double lr_lambda;                /* --lr-lambda (L2 strength) */
    const char *lr_class_weight;     /* --lr-class-weight none|balanced */
    double lr_threshold;             /* --lr-threshold (probability above which a block is anomalous) */
    int lr_max_iter;                 /* --lr-max-iter */
    int top_events;                  /* --top-events (contributors named per anomalous block) */
    bool no_report;                  /* --no-report (detect, run: no DIR/report.html) */

    /* ---- synth ---- */
    const char *sessions_path;       /* --sessions FILE.tsv */
    const char *labels_out;          /* --labels-out FILE.csv */
    int64_t synth_normal;            /* --normal N (-1: as in the file) */
    int64_t synth_anomalies;         /* --anomalies M (-1: as in the file) */
    uint64_t seed;                   /* --seed S */
    double synth_rate;               /* --blocks-per-second (how densely sessions overlap in time) */

    /* ---- parse-eval ---- */
    const char *truth_path;          /* --truth FILE (ground-truth structured CSV) */
    const char *parsed_path;         /* --parsed FILE (logad --structured-out) */

    /* ---- run control ---- */
    int threads;                     /* --threads (0: OMP_NUM_THREADS / OpenMP default) */
    int log_level;                   /* -q / -v / --log-level */
    double progress_seconds;         /* --progress SECONDS */
    const char *summary_path;        /* --summary FILE.json */
};

/* Local. Fills opts with the defaults of every option. */
void lad_options_defaults(struct lad_options *opts);

/* Local. Frees the lists inside opts and models_dir_buf (not the strings, which belong to argv). */
void lad_options_free(struct lad_options *opts);

/* Local. Name of a command as typed on the command line. */
const char *lad_command_name(enum lad_command cmd);

#endif
