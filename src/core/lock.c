/*
 * lock.c - DIR/.logad.lock: O_EXCL creation, holder identity, stale-lock takeover.
 *
 * A pid alone does not identify a process: pids are reused, after a reboot and inside containers
 * (where every run may get the same small pid). The lock therefore also records the kernel boot id and
 * the process start time (/proc/PID/stat field 22); a holder is alive only if a process with that pid
 * exists and started at that time in this boot. Without /proc, the pid check alone decides.
 */
#include "lad_lock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lad_ctx.h"
#include "lad_log.h"

#define LOCK_TEXT_MAX 1024

/* What a lock file says about its holder. */
struct holder {
    char host[256];
    long pid;
    char boot[64];
    unsigned long long start; /* 0: unknown */
    char job[64];
    char command[32];
    char since[32];
};

static void read_small(const char *path, char *buf, size_t cap)
{
    buf[0] = '\0';
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return;
    ssize_t n = read(fd, buf, cap - 1);
    close(fd);
    buf[n > 0 ? n : 0] = '\0';
}

static void boot_id(char *buf, size_t cap)
{
    read_small("/proc/sys/kernel/random/boot_id", buf, cap);
    buf[strcspn(buf, "\n")] = '\0';
}

/* Start time of pid in clock ticks since boot; 0 if unknown. The command name (field 2) may hold
 * spaces and parentheses, so fields are counted from the last ')'. */
static unsigned long long start_time(long pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    read_small(path, buf, sizeof buf);
    const char *p = strrchr(buf, ')');
    if (p == NULL)
        return 0;
    for (int field = 2; field < 22 && p; field++)
        p = strchr(p + 1, ' ');
    return p ? strtoull(p + 1, NULL, 10) : 0;
}

static void describe_self(const char *command, char *text, size_t cap)
{
    char host[256] = "?", boot[64];
    gethostname(host, sizeof host - 1);
    host[sizeof host - 1] = '\0';
    boot_id(boot, sizeof boot);
    const char *job = getenv("SLURM_JOB_ID");
    char since[32];
    time_t now = time(NULL);
    struct tm tm;
    strftime(since, sizeof since, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    snprintf(text, cap, "host=%s\npid=%ld\nboot=%s\nstart=%llu\njob=%s\ncommand=%s\nsince=%s\n", host, (long)getpid(),
             boot, start_time((long)getpid()), job ? job : "-", command, since);
}

static void parse_holder(const char *text, struct holder *h)
{
    memset(h, 0, sizeof *h);
    const char *line = text;
    while (*line) {
        size_t len = strcspn(line, "\n");
        const char *eq = memchr(line, '=', len);
        if (eq) {
            size_t klen = (size_t)(eq - line), vlen = len - klen - 1;
            char value[256];
            snprintf(value, sizeof value, "%.*s", (int)vlen, eq + 1);
#define FIELD(key, dst) (klen == strlen(key) && strncmp(line, key, klen) == 0) snprintf(dst, sizeof dst, "%.*s", (int)sizeof dst - 1, value)
            if FIELD("host", h->host);
            else if FIELD("boot", h->boot);
            else if FIELD("job", h->job);
            else if FIELD("command", h->command);
            else if FIELD("since", h->since);
#undef FIELD
            else if (klen == 3 && strncmp(line, "pid", 3) == 0)
                h->pid = strtol(value, NULL, 10);
            else if (klen == 5 && strncmp(line, "start", 5) == 0)
                h->start = strtoull(value, NULL, 10);
        }
        line += len + (line[len] == '\n');
    }
}

/* True only when the holder is certainly gone: same host, and its process no longer exists. */
static bool holder_is_dead(const struct holder *h)
{
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    if (h->pid <= 0 || strcmp(h->host, host) != 0)
        return false;
    char boot[64];
    boot_id(boot, sizeof boot);
    if (h->boot[0] && boot[0] && strcmp(h->boot, boot) != 0)
        return true; /* locked before the last reboot */
    if (kill((pid_t)h->pid, 0) != 0 && errno == ESRCH)
        return true;
    unsigned long long now_start = start_time(h->pid);
    return h->start != 0 && now_start != 0 && now_start != h->start; /* the pid now names another process */
}

/* The dead run's temporaries: ".NAME.tmp.PID" and scratch files ".NAME.tmp.PID.rankN" (lad_outfile). */
static int remove_temporaries(const char *dir, long pid)
{
    char tag[48];
    int tag_len = snprintf(tag, sizeof tag, ".tmp.%ld", pid);
    DIR *d = opendir(dir);
    if (d == NULL)
        return 0;
    int removed = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *at = e->d_name[0] == '.' ? strstr(e->d_name + 1, tag) : NULL;
        if (at == NULL || (at[tag_len] != '\0' && at[tag_len] != '.'))
            continue;
        char path[PATH_MAX];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) < sizeof path && unlink(path) == 0)
            removed++;
    }
    closedir(d);
    return removed;
}

/* 0 when created, the errno of open(2) when it failed, or -1 with an error recorded in ctx. */
static int create(struct lad_ctx *ctx, struct lad_lock *lk, const char *text)
{
    /* Registered first: a signal between open and write still removes it. */
    lk->handle = lad_outfile_track_lock(lk->path);
    if (lk->handle == 0) {
        lad_fail(ctx, LAD_ERR_INTERNAL, "too many temporary files and locks at once");
        return -1;
    }
    int fd = open(lk->path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        int e = errno;
        lad_outfile_untrack(lk->handle);
        lk->handle = 0;
        return e;
    }
    size_t len = strlen(text);
    bool ok = write(fd, text, len) == (ssize_t)len;
    ok &= close(fd) == 0;
    if (!ok) {
        int e = errno;
        lad_lock_release(lk);
        lad_fail(ctx, LAD_ERR_IO, "cannot write lock file %s: %s", lk->path, strerror(e));
        return -1;
    }
    return 0;
}

/*
 * Moves the stale lock aside before deleting it, and checks that what it moved is the lock it judged
 * stale: two runs that take over the same dead lock at once would otherwise both succeed, the second
 * deleting the first one's fresh lock. A live lock moved by mistake is put back.
 */
static bool take_over(const struct lad_lock *lk, const char *stale_text)
{
    char aside[PATH_MAX + 32], moved[LOCK_TEXT_MAX];
    snprintf(aside, sizeof aside, "%s.stale.%ld", lk->path, (long)getpid());
    if (rename(lk->path, aside) != 0)
        return false;
    read_small(aside, moved, sizeof moved);
    if (strcmp(moved, stale_text) == 0) {
        unlink(aside);
        return true;
    }
    if (link(aside, lk->path) == 0 || errno != EEXIST)
        unlink(aside);
    return false;
}

enum lad_status lad_lock_take(struct lad_ctx *ctx, const char *dir, const char *command, struct lad_lock *lk)
{
    memset(lk, 0, sizeof *lk);
    if ((size_t)snprintf(lk->path, sizeof lk->path, "%s/%s", dir, LAD_LOCK_NAME) >= sizeof lk->path)
        return lad_fail(ctx, LAD_ERR_IO, "path too long: %s/%s", dir, LAD_LOCK_NAME);
    char mine[LOCK_TEXT_MAX], theirs[LOCK_TEXT_MAX];
    describe_self(command, mine, sizeof mine);
    for (int attempt = 0; attempt < 2; attempt++) {
        int e = create(ctx, lk, mine);
        if (e == 0)
            return LAD_OK;
        if (e < 0)
            return ctx->err_status;
        if (e != EEXIST)
            return lad_fail(ctx, LAD_ERR_IO, "cannot write in %s: %s", dir, strerror(e));
        read_small(lk->path, theirs, sizeof theirs);
        struct holder h;
        parse_holder(theirs, &h);
        if (attempt == 0 && holder_is_dead(&h) && take_over(lk, theirs)) {
            int removed = remove_temporaries(dir, h.pid);
            lad_log(ctx, LAD_LOG_WARN,
                    "took over the lock of a dead logad run in %s (%s, pid %ld, job %s, since %s) and removed "
                    "%d temporary file(s) it left", dir, h.command[0] ? h.command : "?", h.pid, h.job[0] ? h.job : "-",
                    h.since[0] ? h.since : "?", removed);
            continue;
        }
        if (h.pid <= 0)
            return lad_fail(ctx, LAD_ERR_IO, "%s is locked by another logad run that is starting (lock file %s); "
                                             "if none is running, remove that file", dir, lk->path);
        return lad_fail(ctx, LAD_ERR_IO,
                        "%s is in use by another logad run (%s on host %s, pid %ld, job %s, since %s); wait for it "
                        "to end, or if it is gone remove %s", dir, h.command[0] ? h.command : "?", h.host, h.pid,
                        h.job[0] ? h.job : "-", h.since[0] ? h.since : "?", lk->path);
    }
    return lad_fail(ctx, LAD_ERR_IO, "cannot take the lock %s", lk->path);
}

void lad_lock_release(struct lad_lock *lk)
{
    if (lk == NULL || lk->handle == 0)
        return;
    unlink(lk->path);
    lad_outfile_untrack(lk->handle);
    lk->handle = 0;
}
