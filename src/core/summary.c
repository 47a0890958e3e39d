/* summary.c - the JSON run summary: config, results, timings. */
#include "lad_summary.h"

#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lad_ctx.h"
#include "lad_options.h"
#include "lad_outfile.h"
#include "lad_version.h"

void lad_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void add_member(struct lad_ctx *ctx, const char *key, const char *value_json)
{
    if (ctx->rank != 0)
        return;
    lad_buf_printf(&ctx->summary, "%s\n    \"%s\": %s", ctx->summary.len ? "," : "", key, value_json);
}

void lad_summary_add_i64(struct lad_ctx *ctx, const char *key, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    add_member(ctx, key, buf);
}

void lad_summary_add_f64(struct lad_ctx *ctx, const char *key, double v)
{
    char buf[40];
    if (isfinite(v))
        snprintf(buf, sizeof buf, "%.17g", v);
    else
        snprintf(buf, sizeof buf, "null");
    add_member(ctx, key, buf);
}

void lad_summary_add_str(struct lad_ctx *ctx, const char *key, const char *v)
{
    if (ctx->rank != 0)
        return;
    /* Escape into a memory stream, then add as a raw JSON value. */
    char *json = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&json, &len);
    if (mem == NULL)
        return;
    lad_json_string(mem, v);
    fclose(mem);
    add_member(ctx, key, json);
    free(json);
}

static void write_str_member(FILE *out, const char *key, const char *v, bool last)
{
    fprintf(out, "    \"%s\": ", key);
    if (v)
        lad_json_string(out, v);
    else
        fputs("null", out);
    fputs(last ? "\n" : ",\n", out);
}

static void write_config(FILE *f, struct lad_ctx *ctx, const struct lad_options *o)
{
    char mpi_version[MPI_MAX_LIBRARY_VERSION_STRING];
    int len = 0;
    MPI_Get_library_version(mpi_version, &len);
    char *nl = strchr(mpi_version, '\n');
    if (nl)
        *nl = '\0';
    unsigned maj, min, rel;
    H5get_libversion(&maj, &min, &rel);
    char h5v[32];
    snprintf(h5v, sizeof h5v, "%u.%u.%u", maj, min, rel);
    fprintf(f, "  \"config\": {\n");
    write_str_member(f, "command", lad_command_name(o->command), false);
    fprintf(f, "    \"ranks\": %d,\n    \"threads_per_rank\": %d,\n", ctx->size, ctx->nthreads);
    write_str_member(f, "threads_from", lad_ctx_threads_source(o), false);
    fprintf(f, "    \"logs\": [");
    for (int i = 0; i < o->logs.n; i++) {
        fputs(i ? ", " : "", f);
        lad_json_string(f, o->logs.items[i]);
    }
    fprintf(f, "],\n");
    write_str_member(f, "templates", o->templates_path, false);
    write_str_member(f, "preset", o->preset ? o->preset : "hdfs", false);
    write_str_member(f, "model", o->model_name, false);
    write_str_member(f, "transform", o->transform, false);
    write_str_member(f, "labels", o->labels_path, false);
    write_str_member(f, "features", o->features_path, false);
    write_str_member(f, "model_in", o->model_in, false);
    write_str_member(f, "out", o->out_path, false);
    write_str_member(f, "models_dir", o->models_dir, false);
    write_str_member(f, "logad_version", LAD_VERSION, false);
    write_str_member(f, "mpi_library", mpi_version, false);
    write_str_member(f, "hdf5_version", h5v, true);
    fprintf(f, "  },\n");
}

/* The batch system's view of the job, straight from Slurm's environment (null outside Slurm). */
static void write_job(FILE *f, const struct lad_placement *pl)
{
    static const char *const vars[][2] = {
        {"job_id", "SLURM_JOB_ID"},           {"array_job_id", "SLURM_ARRAY_JOB_ID"},
        {"array_task_id", "SLURM_ARRAY_TASK_ID"}, {"job_name", "SLURM_JOB_NAME"},
        {"partition", "SLURM_JOB_PARTITION"}, {"nodelist", "SLURM_JOB_NODELIST"},
        {"nnodes", "SLURM_JOB_NUM_NODES"},    {"ntasks", "SLURM_NTASKS"},
        {"cpus_per_task", "SLURM_CPUS_PER_TASK"}, {"step_id", "SLURM_STEP_ID"},
        {"submit_dir", "SLURM_SUBMIT_DIR"},
    };
    char cwd[PATH_MAX];
    fprintf(f, "  \"job\": {\n");
    write_str_member(f, "scheduler", getenv("SLURM_JOB_ID") ? "slurm" : NULL, false);
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        write_str_member(f, vars[i][0], getenv(vars[i][1]), false);
    write_str_member(f, "cwd", getcwd(cwd, sizeof cwd), false);
    fprintf(f, "    \"nodes\": %d,\n    \"cpus_per_rank\": {\"min\": %d, \"max\": %d},\n"
               "    \"ranks_sharing_cpus\": %d,\n    \"cpus_online_rank0_host\": %d\n  },\n",
            pl->nodes, pl->cpus_min, pl->cpus_max, pl->ranks_sharing_cpus, pl->cpus_online);
}

static void write_outputs(FILE *f, const struct lad_ctx *ctx)
{
    fprintf(f, "  \"outputs\": [");
    const char *p = ctx->outputs.data;
    for (bool first = true; p && p < ctx->outputs.data + ctx->outputs.len; p += strlen(p) + 1, first = false) {
        fputs(first ? "\n    " : ",\n    ", f);
        lad_json_string(f, p);
    }
    fprintf(f, "%s],\n", ctx->outputs.len ? "\n  " : "");
}

enum lad_status lad_summary_write(struct lad_ctx *ctx, const struct lad_options *o, const struct lad_timer_stats *ts,
                                  enum lad_status run_status)
{
    struct lad_placement pl;
    enum lad_status st = lad_ctx_placement(ctx, &pl);
    if (ctx->rank == 0 && st == LAD_OK) {
        struct lad_outfile out;
        st = lad_outfile_open(ctx, &out, o->summary_path);
        if (st == LAD_OK) {
            FILE *f = out.fp;
            fprintf(f, "{\n  \"status\": \"%s\",\n  \"exit_code\": %d,\n  \"error\": ",
                    run_status == LAD_OK ? "ok" : "failed", lad_status_exit_code(run_status));
            if (run_status == LAD_OK)
                fputs("null", f);
            else
                lad_json_string(f, ctx->err_msg[0] ? ctx->err_msg : lad_status_str(run_status));
            fprintf(f, ",\n");
            write_config(f, ctx, o);
            write_job(f, &pl);
            write_outputs(f, ctx);
            fprintf(f, "  \"results\": {%s\n  },\n", ctx->summary.data ? ctx->summary.data : "");
            fprintf(f, "  \"peak_rss_mib\": {\"min\": %.1f, \"avg\": %.1f, \"max\": %.1f},\n", ts->rss_min_mib,
                    ts->rss_avg_mib, ts->rss_max_mib);
            fprintf(f, "  \"timings_s\": {\n");
            bool first = true;
            for (int p = 0; p < LAD_PHASE_COUNT; p++) {
                if (ts->max[p] <= 0)
                    continue;
                fprintf(f, "%s    \"%s\": {\"min\": %.6f, \"avg\": %.6f, \"max\": %.6f}", first ? "" : ",\n",
                        lad_phase_name(p), ts->min[p], ts->avg[p], ts->max[p]);
                first = false;
            }
            fprintf(f, "\n  }\n}\n");
            st = lad_outfile_commit(ctx, &out);
        }
        if (st != LAD_OK)
            lad_outfile_abort(&out);
    }
    return lad_status_agree(ctx, st);
}
