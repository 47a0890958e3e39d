/*
 * signals.c - termination signals remove this process's temporaries and locks, then exit 128+signo.
 *
 * The kernel may deliver a signal to any thread (OpenMP workers, MPI progress threads). The handler
 * then passes it on to the main thread and returns: only the main thread creates files (outputs, and
 * the lock probes Open MPI's MPI-IO makes beside a file it opens), so a handler that unlinks them while
 * the main thread goes on could race with a creation and leave a file behind. On the main thread,
 * "what happens now" is one atomic phase that the handler and the commit both change by
 * compare-and-swap: whichever gets there first decides, and a signal never races with the renames of
 * a commit. Only async-signal-safe calls are made in the handler: pthread_kill(3), unlink(2)
 * (lad_outfile_remove_registered), write(2) and _exit(2).
 */
#include "lad_signals.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "lad_outfile.h"

enum phase { PHASE_RUNNING = 0, PHASE_COMMITTING, PHASE_COMMITTED, PHASE_DYING };

static atomic_int phase;
static atomic_int held_signal;
static int my_rank;
static pthread_t main_thread;

static const struct {
    int signo;
    const char *name;
} handled[] = {{SIGTERM, "SIGTERM"}, {SIGINT, "SIGINT"}, {SIGHUP, "SIGHUP"}, {SIGUSR1, "SIGUSR1"}, {SIGUSR2, "SIGUSR2"}};
#define N_HANDLED (sizeof handled / sizeof handled[0])

static void append(char *buf, size_t cap, const char *s)
{
    size_t n = strlen(buf), m = strlen(s);
    if (n + m < cap)
        memcpy(buf + n, s, m + 1);
}

static void die(int signo, bool committed)
{
    lad_outfile_remove_registered();
    if (my_rank == 0) {
        char line[160] = "logad: error: interrupted by ";
        const char *name = "a signal";
        for (size_t i = 0; i < N_HANDLED; i++)
            if (handled[i].signo == signo)
                name = handled[i].name;
        append(line, sizeof line, name);
        append(line, sizeof line, committed ? " after the outputs were committed\n"
                                            : ": no outputs were committed; temporary files removed\n");
        ssize_t ignored = write(STDERR_FILENO, line, strlen(line));
        (void)ignored;
    }
    _exit(128 + signo);
}

static void on_signal(int signo)
{
    if (!pthread_equal(pthread_self(), main_thread)) {
        pthread_kill(main_thread, signo);
        return;
    }
    int seen = PHASE_RUNNING;
    if (atomic_compare_exchange_strong(&phase, &seen, PHASE_DYING))
        die(signo, false);
    if (seen == PHASE_COMMITTING) {
        atomic_store(&held_signal, signo);
        return;
    }
    if (seen == PHASE_COMMITTED && atomic_compare_exchange_strong(&phase, &seen, PHASE_DYING))
        die(signo, true);
    /* PHASE_DYING: the handler is already on its way out (a second signal inside it). */
}

void lad_signals_install(int rank)
{
    my_rank = rank;
    main_thread = pthread_self();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < N_HANDLED; i++)
        sigaddset(&sa.sa_mask, handled[i].signo);
    for (size_t i = 0; i < N_HANDLED; i++) {
        struct sigaction old;
        if (sigaction(handled[i].signo, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue; /* nohup, or a background job's SIGINT: the parent asked for it to be ignored */
        sigaction(handled[i].signo, &sa, NULL);
    }
    signal(SIGXFSZ, SIG_IGN);
}

void lad_signals_restore(void)
{
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (size_t i = 0; i < N_HANDLED; i++) {
        struct sigaction old;
        if (sigaction(handled[i].signo, NULL, &old) == 0 && old.sa_handler == on_signal)
            sigaction(handled[i].signo, &dfl, NULL);
    }
}

void lad_signals_enter_commit(void)
{
    int seen = PHASE_RUNNING;
    if (atomic_compare_exchange_strong(&phase, &seen, PHASE_COMMITTING))
        return;
    for (;;)
        pause(); /* not reached while handlers run on the main thread; kept as the safe answer */
}

void lad_signals_leave_commit(bool committed)
{
    atomic_store(&phase, committed ? PHASE_COMMITTED : PHASE_RUNNING);
    int signo = atomic_exchange(&held_signal, 0);
    if (signo == 0)
        return;
    int seen = committed ? PHASE_COMMITTED : PHASE_RUNNING;
    if (atomic_compare_exchange_strong(&phase, &seen, PHASE_DYING))
        die(signo, committed);
}
