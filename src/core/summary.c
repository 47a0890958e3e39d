/* summary.c - the JSON run summary: config, results, timings. */
#include "lad_summary.h"

#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

enum lad_status lad_summary_write(struct lad_ctx *ctx, const struct lad_options *o, const double *mn,
                                  const double *avg, const double *mx)
{
    enum lad_status st = LAD_OK;
    if (ctx->rank == 0) {
        struct lad_outfile out;
        st = lad_outfile_open(ctx, &out, o->summary_path);
        if (st == LAD_OK) {
            FILE *f = out.fp;
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
            fprintf(f, "{\n  \"config\": {\n");
            write_str_member(f, "command", lad_command_name(o->command), false);
            fprintf(f, "    \"ranks\": %d,\n    \"threads_per_rank\": %d,\n", ctx->size, ctx->nthreads);
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
            write_str_member(f, "logad_version", LAD_VERSION, false);
            write_str_member(f, "mpi_library", mpi_version, false);
            write_str_member(f, "hdf5_version", h5v, true);
            fprintf(f, "  },\n  \"results\": {%s\n  },\n  \"timings_s\": {\n",
                    ctx->summary.data ? ctx->summary.data : "");
            bool first = true;
            for (int p = 0; p < LAD_PHASE_COUNT; p++) {
                if (mx[p] <= 0)
                    continue;
                fprintf(f, "%s    \"%s\": {\"min\": %.6f, \"avg\": %.6f, \"max\": %.6f}", first ? "" : ",\n",
                        lad_phase_name(p), mn[p], avg[p], mx[p]);
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
