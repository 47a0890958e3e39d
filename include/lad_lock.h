/*
 * lad_lock.h - one logad run at a time per output directory.
 *
 * A lock is the file DIR/.logad.lock, created with O_EXCL and holding the holder's host, pid, boot id,
 * process start time, Slurm job id, command and start time. A second run that finds it fails at once
 * with one line naming the holder. A lock whose holder is dead - same host, and the pid gone, reused
 * by another process, or from before a reboot - is taken over with a warning, and the dead run's
 * temporaries in that directory (".NAME.tmp.PID*" with the holder's pid) are removed. A lock held from
 * another host cannot be checked: the message says which file to remove if that run is gone.
 *
 * A held lock is registered with lad_outfile, so a signal handler removes it too.
 */
#ifndef LAD_LOCK_H
#define LAD_LOCK_H

#include <stdbool.h>

#include "lad_outfile.h"
#include "lad_status.h"

#define LAD_LOCK_NAME ".logad.lock"

struct lad_lock {
    char path[PATH_MAX]; /* DIR/.logad.lock */
    int handle;          /* lad_outfile registry handle; 0 when not held */
};

/*
 * Local (rank 0). Takes the lock of the existing directory dir for `command`. Taking it also proves
 * that dir is writable. On failure records one line in ctx (LAD_ERR_IO) and holds nothing.
 */
enum lad_status lad_lock_take(struct lad_ctx *ctx, const char *dir, const char *command, struct lad_lock *lk);

/* Local. Removes a held lock; nothing for one not held (or zeroed). */
void lad_lock_release(struct lad_lock *lk);

#endif
