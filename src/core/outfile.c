/* outfile.c - temporary name + rename, so outputs appear complete or not at all. */
#include "lad_outfile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lad_ctx.h"
#include "lad_log.h"

bool lad_path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

enum lad_status lad_mkdir_p(struct lad_ctx *ctx, const char *dir)
{
    char buf[PATH_MAX];
    size_t n = strlen(dir);
    if (n == 0)
        return LAD_OK;
    if (n >= sizeof buf)
        return lad_fail(ctx, LAD_ERR_IO, "path too long: %s", dir);
    memcpy(buf, dir, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        char saved = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return lad_fail(ctx, LAD_ERR_IO, "cannot create directory %s: %s", buf, strerror(errno));
        buf[i] = saved;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return lad_fail(ctx, LAD_ERR_IO, "%s exists and is not a directory", dir);
    return LAD_OK;
}

enum lad_status lad_mkdir_parents(struct lad_ctx *ctx, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL || slash == path)
        return LAD_OK;
    char dir[PATH_MAX];
    size_t n = (size_t)(slash - path);
    if (n >= sizeof dir)
        return lad_fail(ctx, LAD_ERR_IO, "path too long: %s", path);
    memcpy(dir, path, n);
    dir[n] = '\0';
    return lad_mkdir_p(ctx, dir);
}

/* The temporary file sits beside the final one (same file system, so rename is atomic) and is
 * hidden and tagged with the pid, so concurrent runs and crashed runs never collide. */
static enum lad_status make_tmp_name(struct lad_ctx *ctx, const char *path, char *tmp)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    int n = snprintf(tmp, PATH_MAX, "%.*s.%s.tmp.%ld", dirlen, path, base, (long)getpid());
    if (n < 0 || n >= PATH_MAX)
        return lad_fail(ctx, LAD_ERR_IO, "path too long: %s", path);
    return LAD_OK;
}

static void note_replacement(struct lad_ctx *ctx, const char *path)
{
    if (lad_path_exists(path))
        lad_log(ctx, LAD_LOG_INFO, "replacing existing %s", path);
}

enum lad_status lad_outfile_open(struct lad_ctx *ctx, struct lad_outfile *out, const char *path)
{
    memset(out, 0, sizeof *out);
    if (strlen(path) >= sizeof out->final_path)
        return lad_fail(ctx, LAD_ERR_IO, "path too long: %s", path);
    strcpy(out->final_path, path);
    enum lad_status st = lad_mkdir_parents(ctx, path);
    if (st != LAD_OK)
        return st;
    st = make_tmp_name(ctx, path, out->tmp_path);
    if (st != LAD_OK)
        return st;
    out->fp = fopen(out->tmp_path, "w");
    if (out->fp == NULL)
        return lad_fail(ctx, LAD_ERR_IO, "cannot write %s: %s", path, strerror(errno));
    return LAD_OK;
}

enum lad_status lad_outfile_commit(struct lad_ctx *ctx, struct lad_outfile *out)
{
    if (out->fp == NULL)
        return lad_fail(ctx, LAD_ERR_INTERNAL, "commit of an unopened output %s", out->final_path);
    int bad = ferror(out->fp);
    bad |= fflush(out->fp) != 0;
    bad |= fsync(fileno(out->fp)) != 0 && errno != EINVAL;
    bad |= fclose(out->fp) != 0;
    out->fp = NULL;
    if (bad) {
        unlink(out->tmp_path);
        return lad_fail(ctx, LAD_ERR_IO, "writing %s failed: %s", out->final_path, strerror(errno));
    }
    note_replacement(ctx, out->final_path);
    if (rename(out->tmp_path, out->final_path) != 0) {
        int e = errno;
        unlink(out->tmp_path);
        return lad_fail(ctx, LAD_ERR_IO, "cannot rename %s to %s: %s", out->tmp_path, out->final_path,
                        strerror(e));
    }
    out->tmp_path[0] = '\0';
    lad_ctx_note_output(ctx, out->final_path);
    return LAD_OK;
}

void lad_outfile_abort(struct lad_outfile *out)
{
    if (out->fp != NULL) {
        fclose(out->fp);
        out->fp = NULL;
    }
    if (out->tmp_path[0] != '\0') {
        unlink(out->tmp_path);
        out->tmp_path[0] = '\0';
    }
}

enum lad_status lad_outfile_collective_begin(struct lad_ctx *ctx, const char *path, char *tmp_path)
{
    enum lad_status st = LAD_OK;
    memset(tmp_path, 0, PATH_MAX);
    if (ctx->rank == 0) {
        st = lad_mkdir_parents(ctx, path);
        if (st == LAD_OK)
            st = make_tmp_name(ctx, path, tmp_path);
    }
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        return st;
    if (MPI_Bcast(tmp_path, PATH_MAX, MPI_CHAR, 0, ctx->comm) != MPI_SUCCESS)
        return lad_fail(ctx, LAD_ERR_MPI, "broadcast of a file name failed");
    return LAD_OK;
}

enum lad_status lad_outfile_collective_end(struct lad_ctx *ctx, const char *path, const char *tmp_path,
                                           enum lad_status local)
{
    enum lad_status st = lad_status_agree(ctx, local);
    if (ctx->rank == 0) {
        if (st == LAD_OK) {
            note_replacement(ctx, path);
            if (rename(tmp_path, path) != 0)
                st = lad_fail(ctx, LAD_ERR_IO, "cannot rename %s to %s: %s", tmp_path, path, strerror(errno));
            else
                lad_ctx_note_output(ctx, path);
        }
        if (st != LAD_OK)
            unlink(tmp_path);
    }
    return lad_status_agree(ctx, st);
}
