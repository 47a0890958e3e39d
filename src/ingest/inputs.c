/* inputs.c - resolving --log paths into the file list every rank reads from. */
#include "lad_inputs.h"

#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_log.h"
#include "lad_mem.h"

void lad_inputs_free(struct lad_inputs *in)
{
    if (in == NULL)
        return;
    for (int i = 0; i < in->n_files; i++)
        lad_free(&in->files[i].path);
    lad_free(&in->files);
    in->n_files = 0;
    in->total_bytes = 0;
}

static enum lad_status add_file(struct lad_ctx *ctx, struct lad_inputs *in, size_t *cap, const char *path,
                                MPI_Offset size)
{
    void *files = in->files;
    if (!lad_grow(&files, cap, (size_t)in->n_files + 1, sizeof *in->files))
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory listing inputs");
    in->files = files;
    struct lad_input_file *f = &in->files[in->n_files];
    f->path = lad_strdup(path);
    if (f->path == NULL)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory listing inputs");
    f->size = size;
    f->base = in->total_bytes;
    in->total_bytes += size;
    in->n_files++;
    return LAD_OK;
}

static enum lad_status check_readable(struct lad_ctx *ctx, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return lad_fail(ctx, LAD_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    fclose(fp);
    return LAD_OK;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files that a directory of logs often holds beside them and that are not logs: labels, tables,
 * logad's own outputs, compressed files. A file named by --log FILE itself is read whatever its name. */
static bool not_a_log(const char *name)
{
    static const char *const ext[] = {".csv", ".tsv", ".json", ".h5", ".hdf5", ".html",
                                      ".gz",  ".bz2", ".xz",   ".zst", ".zip"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t k = strlen(ext[i]);
        if (n > k && strcasecmp(name + n - k, ext[i]) == 0)
            return true;
    }
    return false;
}

/* The files other options name (--labels, --templates, ...), as (device, inode): never read as logs. */
struct skip_list {
    int n;
    dev_t dev[8];
    ino_t ino[8];
};

static bool skipped(const struct skip_list *skip, const struct stat *sb)
{
    for (int i = 0; skip && i < skip->n; i++)
        if (skip->dev[i] == sb->st_dev && skip->ino[i] == sb->st_ino)
            return true;
    return false;
}

/* One warning per directory: how many files were left out, and a few of their names. */
static void report_skipped(struct lad_ctx *ctx, const char *dir, int n, int hidden, const char *names)
{
    if (n > 0)
        lad_log(ctx, LAD_LOG_WARN, "--log %s: skipped %d file(s) that are not logs or are another option's input "
                                   "(%s%s)%s; name a file with --log FILE to read it anyway",
                dir, n, names, n > 3 ? ", ..." : "", hidden ? " and hidden files" : "");
}

static enum lad_status add_directory(struct lad_ctx *ctx, struct lad_inputs *in, size_t *cap, const char *dir,
                                     const struct skip_list *skip)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return lad_fail(ctx, LAD_ERR_IO, "cannot list directory %s: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, ncap = 0;
    enum lad_status st = LAD_OK;
    struct dirent *e;
    int n_skipped = 0, n_hidden = 0;
    char examples[256] = "";
    while (st == LAD_OK && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (e->d_name[0] == '.') {
            n_hidden++;
            continue;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *full = malloc(len);
        void *arr = names;
        if (full == NULL || !lad_grow(&arr, &ncap, n + 1, sizeof *names)) {
            free(full);
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory listing %s", dir);
            break;
        }
        names = arr;
        snprintf(full, len, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(full, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            free(full);
            continue;
        }
        if (not_a_log(e->d_name) || skipped(skip, &sb)) {
            if (n_skipped++ < 3)
                snprintf(examples + strlen(examples), sizeof examples - strlen(examples), "%s%.60s",
                         n_skipped > 1 ? ", " : "", e->d_name);
            free(full);
            continue;
        }
        names[n++] = full;
    }
    closedir(d);
    if (st == LAD_OK)
        report_skipped(ctx, dir, n_skipped, n_hidden, examples);
    if (st == LAD_OK && n == 0)
        st = lad_fail(ctx, LAD_ERR_INPUT, "directory %s holds no regular files to read", dir);
    /* Name order makes the global byte space, and so everything after it, independent of readdir. */
    if (st == LAD_OK)
        qsort(names, n, sizeof *names, compare_names);
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (st == LAD_OK && stat(names[i], &sb) != 0)
            st = lad_fail(ctx, LAD_ERR_IO, "cannot read %s: %s", names[i], strerror(errno));
        if (st == LAD_OK)
            st = check_readable(ctx, names[i]);
        if (st == LAD_OK)
            st = add_file(ctx, in, cap, names[i], (MPI_Offset)sb.st_size);
        free(names[i]);
    }
    free(names);
    return st;
}

static enum lad_status resolve_on_root(struct lad_ctx *ctx, const char *const *paths, int n_paths,
                                       const char *const *skip_paths, int n_skip, bool list, struct lad_inputs *in)
{
    size_t cap = 0;
    struct skip_list skip = {0, {0}, {0}};
    for (int i = 0; i < n_skip && skip.n < 8; i++) {
        struct stat sb;
        if (skip_paths[i] && stat(skip_paths[i], &sb) == 0) {
            skip.dev[skip.n] = sb.st_dev;
            skip.ino[skip.n++] = sb.st_ino;
        }
    }
    for (int i = 0; i < n_paths; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) != 0)
            return lad_fail(ctx, LAD_ERR_IO, "cannot read %s: %s", paths[i], strerror(errno));
        enum lad_status st;
        if (S_ISDIR(sb.st_mode))
            st = add_directory(ctx, in, &cap, paths[i], &skip);
        else if (S_ISREG(sb.st_mode)) {
            st = check_readable(ctx, paths[i]);
            if (st == LAD_OK)
                st = add_file(ctx, in, &cap, paths[i], (MPI_Offset)sb.st_size);
        } else
            st = lad_fail(ctx, LAD_ERR_IO, "%s is not a regular file or a directory", paths[i]);
        if (st != LAD_OK)
            return st;
    }
    for (int i = 0; i < in->n_files; i++)
        if (in->files[i].size == 0 && in->n_files > 1)
            lad_log(ctx, LAD_LOG_WARN, "input %s is empty", in->files[i].path);
    if (in->total_bytes == 0)
        return lad_fail(ctx, LAD_ERR_INPUT, "%s is empty: there are no log lines to analyse",
                        in->n_files == 1 ? in->files[0].path : "every input file");
    for (int i = 0; list && i < in->n_files; i++)
        lad_log(ctx, LAD_LOG_VERBOSE, "input %d: %s (%lld bytes)", i + 1, in->files[i].path,
                (long long)in->files[i].size);
    return LAD_OK;
}

static enum lad_status resolve(struct lad_ctx *ctx, const char *const *paths, int n_paths, const char *const *skip,
                               int n_skip, bool list, struct lad_inputs *out)
{
    memset(out, 0, sizeof *out);
    enum lad_status st = LAD_OK;
    if (ctx->rank == 0)
        st = resolve_on_root(ctx, paths, n_paths, skip, n_skip, list, out);
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK) {
        lad_inputs_free(out);
        return st;
    }

    /* Broadcast as one packed block: count, sizes, then the NUL-separated names. */
    int n = out->n_files;
    MPI_Bcast(&n, 1, MPI_INT, 0, ctx->comm);
    long long names_len = 0;
    if (ctx->rank == 0)
        for (int i = 0; i < n; i++)
            names_len += (long long)strlen(out->files[i].path) + 1;
    MPI_Bcast(&names_len, 1, MPI_LONG_LONG, 0, ctx->comm);
    long long *sizes = lad_malloc_array((size_t)n, sizeof *sizes);
    char *names = lad_malloc_array((size_t)names_len, 1);
    st = (sizes && names) ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for input names");
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK) {
        if (ctx->rank == 0) {
            char *p = names;
            for (int i = 0; i < n; i++) {
                sizes[i] = (long long)out->files[i].size;
                size_t len = strlen(out->files[i].path) + 1;
                memcpy(p, out->files[i].path, len);
                p += len;
            }
        }
        lad_comm_bcast(ctx, sizes, n, MPI_LONG_LONG, 0);
        lad_comm_bcast(ctx, names, names_len, MPI_CHAR, 0);
        if (ctx->rank != 0) {
            size_t cap = 0;
            const char *p = names;
            for (int i = 0; i < n && st == LAD_OK; i++) {
                st = add_file(ctx, out, &cap, p, (MPI_Offset)sizes[i]);
                p += strlen(p) + 1;
            }
        }
        st = lad_status_agree(ctx, st);
    }
    free(sizes);
    free(names);
    if (st != LAD_OK)
        lad_inputs_free(out);
    return st;
}

enum lad_status lad_inputs_resolve(struct lad_ctx *ctx, const char *const *paths, int n_paths,
                                   struct lad_inputs *out)
{
    return resolve(ctx, paths, n_paths, NULL, 0, false, out);
}

enum lad_status lad_inputs_resolve_logs(struct lad_ctx *ctx, const char *const *paths, int n_paths,
                                        const char *const *skip, int n_skip, struct lad_inputs *out)
{
    return resolve(ctx, paths, n_paths, skip, n_skip, true, out);
}
