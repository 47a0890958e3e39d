/*
 * outset.c - the output transaction of one command: what it writes (one table), checked and locked
 * before any input is read, and committed together at the end.
 *
 * The commit renames every output in one loop on rank 0, after the data are synced, so the window in
 * which a directory holds part old and part new files is a handful of rename(2) calls. Termination
 * signals wait for the loop to end (lad_signals_enter_commit); only SIGKILL or a crash can cut it,
 * and then the results directory has no manifest: its old manifest is removed before the first
 * rename and the new one is renamed after the last.
 */
#include "lad_outset.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lad_ctx.h"
#include "lad_log.h"
#include "lad_options.h"
#include "lad_signals.h"

#define CMD(c) (1u << (c))
#define ALL_COMMANDS 0xffffffffu
#define INGEST (CMD(LAD_CMD_PREPROCESS) | CMD(LAD_CMD_TRAIN) | CMD(LAD_CMD_DETECT) | CMD(LAD_CMD_RUN))
#define OPT(f) offsetof(struct lad_options, f)

enum out_kind {
    OUT_FILE,   /* one file */
    OUT_MODELS, /* train: the option's file, or DEFAULT/<model>.h5 for each model trained */
    OUT_SET     /* a directory whose logad files form one set (members) */
};

/* A results directory's files; anomalies_<model>.csv only when several models ran; report.html is the
 * HTML report. Those this run does not write are stale at the commit. */
static const char *const results_files[] = {LAD_OUT_ANOMALIES, "anomalies_" LAD_MODEL_NAME_PCA ".csv",
                                            "anomalies_" LAD_MODEL_NAME_LOGREG ".csv",
                                            LAD_OUT_EXPLAINED, LAD_OUT_VERDICTS, LAD_OUT_METRICS, "report.html",
                                            NULL};
/* run's models directory: the models of this run only (train adds to models/ and removes nothing). */
static const char *const model_files[] = {LAD_MODEL_NAME_PCA ".h5", LAD_MODEL_NAME_LOGREG ".h5", NULL};

struct out_rule {
    unsigned commands;
    const char *option;
    size_t offset;            /* its const char * in struct lad_options */
    const char *fallback;     /* where it goes without the option; NULL: written only when given */
    enum out_kind kind;
    const char *const *members;
    bool manifest;
};

/* What each command writes. Everything about outputs - the checks, the locks, the stale files and the
 * manifest, and the stages' default paths (lad_outset_path) - comes from here. */
static const struct out_rule rules[] = {
    {CMD(LAD_CMD_PREPROCESS), "--out", OPT(out_path), "data/processed/features.h5", OUT_FILE, NULL, false},
    {INGEST, "--structured-out", OPT(structured_out), NULL, OUT_FILE, NULL, false},
    {INGEST, "--templates-out", OPT(templates_out), NULL, OUT_FILE, NULL, false},
    {CMD(LAD_CMD_FEATURES), "--out", OPT(out_path), "data/processed/matrix.h5", OUT_FILE, NULL, false},
    {CMD(LAD_CMD_TRAIN), "--model-out", OPT(model_out), "models", OUT_MODELS, NULL, false},
    {CMD(LAD_CMD_DETECT) | CMD(LAD_CMD_RUN), "--out", OPT(out_path), "results", OUT_SET, results_files, true},
    {CMD(LAD_CMD_RUN), "--models-dir", OPT(models_dir), "models", OUT_SET, model_files, false},
    {CMD(LAD_CMD_SYNTH), "--out", OPT(out_path), NULL, OUT_FILE, NULL, false},
    {CMD(LAD_CMD_SYNTH), "--labels-out", OPT(labels_out), NULL, OUT_FILE, NULL, false},
    {ALL_COMMANDS, "--summary", OPT(summary_path), NULL, OUT_FILE, NULL, false},
};
#define N_RULES (sizeof rules / sizeof rules[0])

/* Inputs an output must not replace. --labels is also read only after ingest, so it is checked here. */
static const struct {
    const char *option;
    size_t offset;
} inputs[] = {{"--templates", OPT(templates_path)}, {"--labels", OPT(labels_path)}, {"--features", OPT(features_path)},
              {"--model-in", OPT(model_in)},        {"--sessions", OPT(sessions_path)}, {"--truth", OPT(truth_path)},
              {"--parsed", OPT(parsed_path)}};

static const char *option_value(const struct lad_options *o, size_t offset)
{
    return *(const char *const *)((const char *)o + offset);
}

const char *lad_outset_path(const struct lad_options *o, const char *option)
{
    for (size_t i = 0; i < N_RULES; i++)
        if ((rules[i].commands & CMD(o->command)) && strcmp(rules[i].option, option) == 0) {
            const char *v = option_value(o, rules[i].offset);
            return v ? v : rules[i].fallback;
        }
    return NULL;
}

void lad_outset_model_path(const struct lad_options *o, const char *model, char *buf, size_t cap)
{
    if (o->command == LAD_CMD_TRAIN && o->model_out)
        snprintf(buf, cap, "%s", o->model_out);
    else if (o->command == LAD_CMD_TRAIN && o->models_dir)
        snprintf(buf, cap, "%s/%s.h5", o->models_dir, model);
    else
        snprintf(buf, cap, "%s/%s.h5",
                 lad_outset_path(o, o->command == LAD_CMD_RUN ? "--models-dir" : "--model-out"), model);
}

/* The writers' messages name the path; the user also needs the option that chose it. */
static enum lad_status named(struct lad_ctx *ctx, const char *option, enum lad_status st)
{
    size_t n = strlen(option) + 2;
    if (n >= LAD_ERRMSG_MAX)
        return st;
    memmove(ctx->err_msg + n, ctx->err_msg, LAD_ERRMSG_MAX - n - 1);
    ctx->err_msg[LAD_ERRMSG_MAX - 1] = '\0';
    memcpy(ctx->err_msg, option, n - 2);
    memcpy(ctx->err_msg + n - 2, ": ", 2);
    return st;
}

/* Directory part and name of path ("." for a bare name). */
static void split(const char *path, char *dir, const char **base)
{
    const char *slash = strrchr(path, '/');
    *base = slash ? slash + 1 : path;
    if (slash == NULL)
        strcpy(dir, ".");
    else if (slash == path)
        strcpy(dir, "/");
    else
        snprintf(dir, PATH_MAX, "%.*s", (int)(slash - path), path);
}

/* realpath of path's directory + its name: two names of one file compare equal. The directory must exist. */
static bool canonical(const char *path, char *out)
{
    char dir[PATH_MAX], real[PATH_MAX];
    const char *base;
    split(path, dir, &base);
    if (realpath(dir, real) == NULL)
        return false;
    return snprintf(out, PATH_MAX, "%s/%s", strcmp(real, "/") ? real : "", base) < PATH_MAX;
}

static enum lad_status add_dir(struct lad_ctx *ctx, struct lad_outset *set, const char *option, const char *dir,
                               bool manifest)
{
    char canon[PATH_MAX], created[PATH_MAX];
    if (lad_mkdir_p_created(ctx, dir, created) != LAD_OK)
        return named(ctx, option, LAD_ERR_IO);
    if (realpath(dir, canon) == NULL)
        return lad_fail(ctx, LAD_ERR_IO, "%s: cannot resolve %s: %s", option, dir, strerror(errno));
    for (int i = 0; i < set->n_dirs; i++)
        if (strcmp(set->dirs[i].canon, canon) == 0) {
            set->dirs[i].manifest |= manifest;
            return LAD_OK;
        }
    if (set->n_dirs == LAD_OUTSET_DIRS)
        return lad_fail(ctx, LAD_ERR_INTERNAL, "more than %d output directories", LAD_OUTSET_DIRS);
    struct lad_outset_dir *d = &set->dirs[set->n_dirs++];
    d->option = option;
    snprintf(d->path, sizeof d->path, "%s", dir);
    memcpy(d->canon, canon, sizeof canon);
    memcpy(d->created, created, sizeof created);
    d->manifest = manifest;
    return LAD_OK;
}

static enum lad_status add_file(struct lad_ctx *ctx, struct lad_outset *set, const char *option, const char *path,
                                bool member)
{
    if (set->n_files == LAD_OUTSET_FILES)
        return lad_fail(ctx, LAD_ERR_INTERNAL, "more than %d output files", LAD_OUTSET_FILES);
    struct lad_outset_file *f = &set->files[set->n_files];
    if ((size_t)snprintf(f->path, sizeof f->path, "%s", path) >= sizeof f->path)
        return lad_fail(ctx, LAD_ERR_USAGE, "%s: path too long: %s", option, path);
    char dir[PATH_MAX];
    const char *base;
    split(path, dir, &base);
    if (*base == '\0')
        return lad_fail(ctx, LAD_ERR_USAGE, "%s: %s names a directory, not a file", option, path);
    enum lad_status st = add_dir(ctx, set, option, dir, false);
    if (st == LAD_OK && !canonical(path, f->canon))
        st = lad_fail(ctx, LAD_ERR_IO, "%s: cannot resolve %s: %s", option, path, strerror(errno));
    f->option = option;
    f->member = member;
    struct stat sb;
    f->existed = st == LAD_OK && stat(path, &sb) == 0;
    f->dev = f->existed ? (unsigned long long)sb.st_dev : 0;
    f->ino = f->existed ? (unsigned long long)sb.st_ino : 0;
    set->n_files += st == LAD_OK;
    return st;
}

/* Every output and output directory of o->command, directories created. */
static enum lad_status declare(struct lad_ctx *ctx, const struct lad_options *o, struct lad_outset *set)
{
    enum lad_status st = LAD_OK;
    char path[PATH_MAX];
    for (size_t r = 0; r < N_RULES && st == LAD_OK; r++) {
        const struct out_rule *rule = &rules[r];
        const char *value = option_value(o, rule->offset);
        const char *where = value ? value : rule->fallback;
        if (!(rule->commands & CMD(o->command)) || where == NULL)
            continue;
        if (rule->kind == OUT_FILE)
            st = add_file(ctx, set, rule->option, where, false);
        for (int k = 0; rule->kind == OUT_MODELS && k < LAD_N_MODEL_CHOICES && st == LAD_OK; k++) {
            if (!(o->model_kind & lad_model_choices[k].kind))
                continue;
            lad_outset_model_path(o, lad_model_choices[k].name, path, sizeof path);
            st = add_file(ctx, set, rule->option, path, false);
        }
        if (rule->kind == OUT_SET) {
            st = add_dir(ctx, set, rule->option, where, rule->manifest);
            for (int m = 0; rule->members[m] && st == LAD_OK; m++) {
                snprintf(path, sizeof path, "%s/%s", where, rule->members[m]);
                st = add_file(ctx, set, rule->option, path, true);
            }
        }
    }
    return st;
}

/* No output may be a directory, be named twice, or replace (or sit in a directory of) an input. */
static enum lad_status check(struct lad_ctx *ctx, const struct lad_options *o, const struct lad_outset *set)
{
    struct stat sb;
    char real[PATH_MAX];
    for (int i = 0; i < set->n_files; i++) {
        const struct lad_outset_file *f = &set->files[i];
        if (stat(f->path, &sb) == 0 && S_ISDIR(sb.st_mode))
            return lad_fail(ctx, LAD_ERR_IO, "%s: cannot rename an output onto %s: it is a directory", f->option,
                            f->path);
        for (int j = 0; j < i; j++)
            if (strcmp(set->files[j].canon, f->canon) == 0)
                return lad_fail(ctx, LAD_ERR_USAGE, "%s and %s are the same file %s", set->files[j].option,
                                f->option, f->path);
    }
    int n_inputs = (int)(sizeof inputs / sizeof inputs[0]);
    for (int k = 0; k < n_inputs + o->logs.n; k++) {
        const char *option = k < n_inputs ? inputs[k].option : "--log";
        const char *in = k < n_inputs ? option_value(o, inputs[k].offset) : o->logs.items[k - n_inputs];
        if (in == NULL)
            continue;
        bool late = strcmp(option, "--labels") == 0; /* read only after ingest: fail now, not in an hour */
        if (realpath(in, real) == NULL || stat(real, &sb) != 0 || (late && access(real, R_OK) != 0)) {
            if (late)
                return lad_fail(ctx, LAD_ERR_IO, "--labels: cannot read %s: %s", in, strerror(errno));
            continue; /* the reader reports it, before any work */
        }
        if (late && !S_ISREG(sb.st_mode))
            return lad_fail(ctx, LAD_ERR_IO, "--labels: %s is not a regular file", in);
        for (int i = 0; i < set->n_files; i++)
            if (strcmp(set->files[i].canon, real) == 0)
                return lad_fail(ctx, LAD_ERR_USAGE, "%s: %s is also an input (%s)", set->files[i].option,
                                set->files[i].path, option);
        for (int d = 0; S_ISDIR(sb.st_mode) && d < set->n_dirs; d++)
            if (strcmp(set->dirs[d].canon, real) == 0)
                return lad_fail(ctx, LAD_ERR_USAGE, "%s: %s is an input directory (%s %s): its outputs would be "
                                "read as input by the next run", set->dirs[d].option, set->dirs[d].path, option, in);
    }
    return LAD_OK;
}

static void release(struct lad_outset *set, bool remove_created)
{
    for (int i = set->n_dirs - 1; i >= 0; i--) {
        struct lad_outset_dir *d = &set->dirs[i];
        lad_lock_release(&d->lock);
        if (!remove_created || d->created[0] == '\0')
            continue;
        /* From the directory up to the outermost one this run created; rmdir leaves non-empty ones. */
        char p[PATH_MAX];
        snprintf(p, sizeof p, "%s", d->path);
        for (;;) {
            rmdir(p);
            char *slash = strrchr(p, '/');
            if (strcmp(p, d->created) == 0 || slash == NULL || slash == p)
                break;
            *slash = '\0';
        }
    }
}

static void utc_now(char *buf, size_t cap)
{
    time_t now = time(NULL);
    struct tm tm;
    strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
}

enum lad_status lad_outset_begin(struct lad_ctx *ctx, const struct lad_options *o, struct lad_outset *set)
{
    memset(set, 0, sizeof *set);
    enum lad_status st = LAD_OK;
    if (ctx->rank == 0) {
        utc_now(set->started, sizeof set->started);
        st = declare(ctx, o, set);
        if (st == LAD_OK)
            st = check(ctx, o, set);
        for (int i = 0; i < set->n_dirs && st == LAD_OK; i++)
            if (lad_lock_take(ctx, set->dirs[i].path, lad_command_name(o->command), &set->dirs[i].lock) != LAD_OK)
                st = named(ctx, set->dirs[i].option, LAD_ERR_IO);
        if (st != LAD_OK)
            release(set, true);
    }
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK) {
        set->active = true;
        lad_outfile_defer(true);
    }
    return st;
}

/* results/.logad-run: which run wrote this set, and every file it committed (all directories). */
static enum lad_status write_manifest(struct lad_ctx *ctx, const struct lad_options *o, struct lad_outset *set,
                                      const struct lad_outset_dir *d)
{
    char path[PATH_MAX], host[256] = "?", now[32];
    gethostname(host, sizeof host - 1);
    host[sizeof host - 1] = '\0';
    utc_now(now, sizeof now);
    snprintf(path, sizeof path, "%s/%s", d->path, LAD_OUT_MANIFEST);
    int n = lad_outfile_pending_count();
    struct lad_outfile out;
    enum lad_status st = lad_outfile_open(ctx, &out, path);
    if (st == LAD_OK) {
        const char *job = getenv("SLURM_JOB_ID");
        fprintf(out.fp, "# logad: the files below were written by one run and renamed into place together.\n"
                        "# This file is renamed last; without it the set in this directory is incomplete.\n");
        fprintf(out.fp, "run=%s:%ld:%s\ncommand=%s\nranks=%d\njob=%s\nstarted=%s\ncommitted=%s\n", host,
                (long)getpid(), set->started, lad_command_name(o->command), ctx->size, job ? job : "-", set->started,
                now);
        for (int i = 0; i < n; i++) {
            const char *tmp, *final;
            char canon[PATH_MAX];
            struct stat sb;
            lad_outfile_pending(i, &tmp, &final);
            fprintf(out.fp, "file=%s %lld\n", canonical(final, canon) ? canon : final,
                    stat(tmp, &sb) == 0 ? (long long)sb.st_size : -1LL);
        }
        st = lad_outfile_commit(ctx, &out);
    }
    if (st != LAD_OK)
        lad_outfile_abort(&out);
    return st;
}

/* Set members this run did not write are an earlier run's: they must not pass for part of this set.
 * Only a file that was there when the command began is an earlier run's; one that appeared since (a
 * writer that did not go through lad_outfile) is left alone. Worked out before the commit's critical
 * section, which then only unlinks. */
static void find_stale(const struct lad_outset *set, bool *stale)
{
    int n = lad_outfile_pending_count();
    char written[LAD_OUTFILE_SLOTS][PATH_MAX];
    for (int k = 0; k < n; k++) {
        const char *tmp, *final;
        lad_outfile_pending(k, &tmp, &final);
        if (!canonical(final, written[k]))
            written[k][0] = '\0';
    }
    for (int i = 0; i < set->n_files; i++) {
        const struct lad_outset_file *f = &set->files[i];
        struct stat sb;
        stale[i] = f->member && f->existed && stat(f->path, &sb) == 0 && (unsigned long long)sb.st_dev == f->dev &&
                   (unsigned long long)sb.st_ino == f->ino;
        for (int k = 0; k < n && stale[i]; k++)
            stale[i] = strcmp(written[k], set->files[i].canon) != 0;
    }
}

static enum lad_status commit(struct lad_ctx *ctx, const struct lad_options *o, struct lad_outset *set)
{
    enum lad_status st = LAD_OK;
    for (int i = 0; i < set->n_dirs && st == LAD_OK; i++)
        if (set->dirs[i].manifest)
            st = write_manifest(ctx, o, set, &set->dirs[i]);
    if (st == LAD_OK)
        st = lad_outfile_sync_pending(ctx);
    if (st != LAD_OK) {
        lad_outfile_discard();
        return st;
    }
    bool stale[LAD_OUTSET_FILES];
    find_stale(set, stale);
    char path[PATH_MAX];
    lad_signals_enter_commit();
    for (int i = 0; i < set->n_dirs; i++)
        if (set->dirs[i].manifest) {
            snprintf(path, sizeof path, "%s/%s", set->dirs[i].path, LAD_OUT_MANIFEST);
            unlink(path);
        }
    for (int i = 0; i < set->n_files; i++)
        if (stale[i] && unlink(set->files[i].path) == 0)
            lad_log(ctx, LAD_LOG_INFO, "removed stale %s: an earlier run wrote it, this one did not",
                    set->files[i].path);
    st = lad_outfile_rename_pending(ctx);
    /* The renames themselves reach the disk with the directories. */
    for (int i = 0; i < set->n_dirs; i++) {
        int fd = open(set->dirs[i].path, O_RDONLY | O_DIRECTORY);
        if (fd >= 0) {
            fsync(fd);
            close(fd);
        }
    }
    lad_signals_leave_commit(st == LAD_OK);
    return st;
}

enum lad_status lad_outset_settle(struct lad_ctx *ctx, const struct lad_options *o, struct lad_outset *set,
                                  enum lad_status st)
{
    /* From here rank 0 alone decides the fate of the collective temporaries: a signal on another rank
     * must not remove one that rank 0 is renaming. */
    if (ctx->rank != 0)
        lad_outfile_forget();
    st = lad_status_agree(ctx, st);
    if (ctx->rank == 0) {
        if (st == LAD_OK && set->active)
            st = commit(ctx, o, set);
        else
            lad_outfile_discard();
    }
    lad_outfile_defer(false);
    set->active = false;
    return lad_status_agree(ctx, st);
}

void lad_outset_release(struct lad_ctx *ctx, struct lad_outset *set, enum lad_status st)
{
    if (ctx->rank == 0)
        release(set, st != LAD_OK);
}
