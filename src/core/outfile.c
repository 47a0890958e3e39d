/*
 * outfile.c - temporary name + rename, so outputs appear complete or not at all, and a registry of
 * every temporary and lock file of this process, so none outlives a failed, interrupted or aborted
 * run.
 *
 * The registry is a fixed array in static storage rather than a member of struct lad_ctx because a
 * signal handler has no ctx and may use nothing but unlink(2) on it; one process runs one command,
 * so one registry per process is what the handler needs. Each slot's path is written while the slot
 * is free and published by an atomic store of its state; the handler (on any thread) reads only
 * slots whose state it loads as in use, so it never sees a half-written path.
 */
#include "lad_outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lad_ctx.h"
#include "lad_log.h"

_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the signal handler needs lock-free atomic int");

enum slot_state {
    SLOT_FREE = 0,
    SLOT_WRITING, /* a temporary being written (or, on ranks other than 0, a collective one) */
    SLOT_PENDING, /* complete, waiting for the transaction's rename to final */
    SLOT_SCRATCH, /* a file the MPI library may create beside a temporary while opening it */
    SLOT_LOCK     /* a lock file (lad_lock) */
};

struct slot {
    atomic_int state;
    unsigned long seq;     /* completion order of a pending output */
    char path[PATH_MAX];   /* the temporary's (or lock's) name */
    char final[PATH_MAX];  /* pending: the name it is renamed to */
};

static struct slot slots[LAD_OUTFILE_SLOTS];
static bool deferring;
static unsigned long next_seq;

static int track(const char *path, int state)
{
    size_t n = strlen(path);
    if (n >= PATH_MAX)
        return 0;
    for (int i = 0; i < LAD_OUTFILE_SLOTS; i++) {
        if (atomic_load(&slots[i].state) != SLOT_FREE)
            continue;
        memcpy(slots[i].path, path, n + 1);
        atomic_store(&slots[i].state, state);
        return i + 1;
    }
    return 0;
}

static int find(const char *path)
{
    for (int i = 0; i < LAD_OUTFILE_SLOTS; i++) {
        int s = atomic_load(&slots[i].state);
        if (s != SLOT_FREE && s != SLOT_LOCK && strcmp(slots[i].path, path) == 0)
            return i + 1;
    }
    return 0;
}

void lad_outfile_untrack(int handle)
{
    if (handle > 0 && handle <= LAD_OUTFILE_SLOTS)
        atomic_store(&slots[handle - 1].state, SLOT_FREE);
}

int lad_outfile_track_lock(const char *path)
{
    return track(path, SLOT_LOCK);
}

int lad_outfile_track_scratch(const char *path)
{
    return track(path, SLOT_SCRATCH);
}

void lad_outfile_remove_registered(void)
{
    for (int i = 0; i < LAD_OUTFILE_SLOTS; i++)
        if (atomic_load(&slots[i].state) != SLOT_FREE)
            unlink(slots[i].path);
}

/* A completed temporary waits for the transaction's commit under its own name. */
static void make_pending(int handle, const char *final)
{
    struct slot *s = &slots[handle - 1];
    snprintf(s->final, sizeof s->final, "%s", final);
    s->seq = next_seq++;
    atomic_store(&s->state, SLOT_PENDING);
}

void lad_outfile_defer(bool on)
{
    deferring = on;
}

/* The pending slots in completion order (at most LAD_OUTFILE_SLOTS). */
static int pending_order(int *order)
{
    int n = 0;
    for (int i = 0; i < LAD_OUTFILE_SLOTS; i++) {
        if (atomic_load(&slots[i].state) != SLOT_PENDING)
            continue;
        int j = n++;
        while (j > 0 && slots[order[j - 1]].seq > slots[i].seq) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    return n;
}

int lad_outfile_pending_count(void)
{
    int order[LAD_OUTFILE_SLOTS];
    return pending_order(order);
}

void lad_outfile_pending(int i, const char **tmp_path, const char **final_path)
{
    int order[LAD_OUTFILE_SLOTS];
    int n = pending_order(order);
    *tmp_path = *final_path = NULL;
    if (i >= 0 && i < n) {
        *tmp_path = slots[order[i]].path;
        *final_path = slots[order[i]].final;
    }
}

static void drop_temporaries(bool remove)
{
    for (int i = 0; i < LAD_OUTFILE_SLOTS; i++) {
        int s = atomic_load(&slots[i].state);
        if (s == SLOT_FREE || s == SLOT_LOCK)
            continue;
        if (remove)
            unlink(slots[i].path);
        atomic_store(&slots[i].state, SLOT_FREE);
    }
}

void lad_outfile_discard(void)
{
    drop_temporaries(true);
}

void lad_outfile_forget(void)
{
    drop_temporaries(false);
}

bool lad_path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

enum lad_status lad_mkdir_p_created(struct lad_ctx *ctx, const char *dir, char *created)
{
    char buf[PATH_MAX];
    size_t n = strlen(dir);
    if (created)
        created[0] = '\0';
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
        struct stat st;
        if (mkdir(buf, 0777) == 0) {
            if (created && created[0] == '\0')
                memcpy(created, buf, i + 1);
        } else if (errno != EEXIST)
            return lad_fail(ctx, LAD_ERR_IO, "cannot create directory %s: %s", buf, strerror(errno));
        else if (stat(buf, &st) == 0 && !S_ISDIR(st.st_mode))
            return lad_fail(ctx, LAD_ERR_IO, "%s exists and is not a directory", buf);
        buf[i] = saved;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return lad_fail(ctx, LAD_ERR_IO, "%s exists and is not a directory", dir);
    return LAD_OK;
}

enum lad_status lad_mkdir_p(struct lad_ctx *ctx, const char *dir)
{
    return lad_mkdir_p_created(ctx, dir, NULL);
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
 * hidden and tagged with the pid, so concurrent runs and crashed runs never collide, and the run
 * that takes over a dead run's lock knows which temporaries were the dead run's (lad_lock). */
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

static enum lad_status rename_now(struct lad_ctx *ctx, const char *tmp, const char *path)
{
    if (lad_path_exists(path))
        lad_log(ctx, LAD_LOG_INFO, "replacing existing %s", path);
    if (rename(tmp, path) != 0)
        return lad_fail(ctx, LAD_ERR_IO, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
    lad_ctx_note_output(ctx, path); /* the run summary lists what was committed */
    return LAD_OK;
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
    /* Registered before it exists, so no moment passes in which a signal could miss it. */
    out->handle = track(out->tmp_path, SLOT_WRITING);
    if (out->handle == 0)
        return lad_fail(ctx, LAD_ERR_INTERNAL, "more than %d outputs open at once (writing %s)", LAD_OUTFILE_SLOTS,
                        path);
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
    enum lad_status st = LAD_OK;
    if (bad)
        st = lad_fail(ctx, LAD_ERR_IO, "writing %s failed: %s", out->final_path, strerror(errno));
    else if (deferring) {
        make_pending(out->handle, out->final_path);
        out->handle = 0;
        out->tmp_path[0] = '\0';
        return LAD_OK;
    } else
        st = rename_now(ctx, out->tmp_path, out->final_path);
    if (st != LAD_OK)
        unlink(out->tmp_path);
    lad_outfile_untrack(out->handle);
    out->handle = 0;
    out->tmp_path[0] = '\0';
    return st;
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
    lad_outfile_untrack(out->handle);
    out->handle = 0;
}

/* The name of Open MPI's lock probe beside file; false when it does not fit. */
static bool lock_probe_name(const char *file, int rank, char *probe)
{
    return snprintf(probe, PATH_MAX, "%s.locktest.%d", file, rank) < PATH_MAX;
}

int lad_outfile_track_lock_probe(const char *file, int rank)
{
    char probe[PATH_MAX];
    return lock_probe_name(file, rank, probe) ? track(probe, SLOT_SCRATCH) : 0;
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
    /* Every rank registers the name: if rank 0 dies, the others still remove the file on SIGTERM. */
    int handle = track(tmp_path, SLOT_WRITING);
    /* Kept for as long as the temporary is being written: HDF5 and the seal open it again. */
    int locktest = handle ? lad_outfile_track_lock_probe(tmp_path, ctx->rank) : 0;
    st = handle && locktest ? LAD_OK
                : lad_fail(ctx, LAD_ERR_INTERNAL, "more than %d outputs open at once (writing %s)",
                           LAD_OUTFILE_SLOTS, path);
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK) {
        lad_outfile_untrack(handle);
        lad_outfile_untrack(locktest);
    }
    return st;
}

enum lad_status lad_outfile_collective_end(struct lad_ctx *ctx, const char *path, const char *tmp_path,
                                           enum lad_status local)
{
    enum lad_status st = lad_status_agree(ctx, local);
    int handle = find(tmp_path);
    char probe[PATH_MAX];
    if (lock_probe_name(tmp_path, ctx->rank, probe)) /* the file is closed: no probe is left to remove */
        lad_outfile_untrack(find(probe));
    if (ctx->rank == 0) {
        if (st == LAD_OK && deferring && handle) {
            make_pending(handle, path);
            return lad_status_agree(ctx, st);
        }
        if (st == LAD_OK)
            st = rename_now(ctx, tmp_path, path);
        if (st != LAD_OK)
            unlink(tmp_path);
        lad_outfile_untrack(handle);
    } else if (st != LAD_OK || !deferring)
        lad_outfile_untrack(handle);
    return lad_status_agree(ctx, st);
}

enum lad_status lad_outfile_sync_pending(struct lad_ctx *ctx)
{
    int order[LAD_OUTFILE_SLOTS];
    int n = pending_order(order);
    enum lad_status st = LAD_OK;
    for (int k = 0; k < n && st == LAD_OK; k++) {
        const struct slot *s = &slots[order[k]];
        int fd = open(s->path, O_RDONLY);
        if (fd < 0 || (fsync(fd) != 0 && errno != EINVAL))
            st = lad_fail(ctx, LAD_ERR_IO, "cannot sync %s: %s", s->path, strerror(errno));
        if (fd >= 0)
            close(fd);
    }
    return st;
}

enum lad_status lad_outfile_rename_pending(struct lad_ctx *ctx)
{
    int order[LAD_OUTFILE_SLOTS];
    int n = pending_order(order);
    enum lad_status st = LAD_OK;
    int done = 0;
    for (; done < n && st == LAD_OK; done++)
        st = rename_now(ctx, slots[order[done]].path, slots[order[done]].final);
    if (st != LAD_OK) {
        /* The failed one is order[done - 1]; the files renamed before it are new, and alone they are
         * not a result: remove them, and every temporary still waiting. */
        for (int k = 0; k < done - 1; k++)
            unlink(slots[order[k]].final);
        for (int k = done - 1; k < n; k++)
            unlink(slots[order[k]].path);
    }
    for (int k = 0; k < n; k++)
        atomic_store(&slots[order[k]].state, SLOT_FREE);
    return st;
}
