/*
 * lad_signals.h - a terminated run removes its temporaries and locks and says so.
 *
 * SIGTERM (Slurm's time limit and scancel; mpirun on SIGTERM/SIGINT/SIGHUP), SIGINT, SIGHUP, SIGUSR1
 * and SIGUSR2 (forwarded by mpirun as they are) make every rank remove the temporary and lock files
 * it registered (lad_outfile), rank 0 print one line, and the process exit with 128 + the signal
 * number. A signal that arrives while rank 0 renames a command's outputs into place waits until the
 * renames are done, so it never leaves half a set. SIGXFSZ is ignored, so a write past a file-size
 * limit fails with EFBIG through the normal error path instead of killing the process.
 */
#ifndef LAD_SIGNALS_H
#define LAD_SIGNALS_H

#include <stdbool.h>

/* Local. Installs the handlers on this process (a signal the parent set to be ignored stays ignored);
 * rank decides who prints. Call once, after MPI_Init. */
void lad_signals_install(int rank);

/*
 * Local. From here to lad_signals_leave_commit, a signal waits instead of acting. If a signal is
 * already being handled on another thread, this never returns (the process is about to exit).
 */
void lad_signals_enter_commit(void);

/* Local. Ends the wait; a signal that came meanwhile acts now (its message says whether the outputs
 * had been committed). */
void lad_signals_leave_commit(bool committed);

/*
 * Local. The command is over (its outputs committed or discarded, nothing registered): the handled
 * signals get their default actions back. mpirun ends a job one second after a rank exits non-zero,
 * with SIGTERM to the ranks still finalizing; that must not add a second line to the first.
 */
void lad_signals_restore(void);

#endif
