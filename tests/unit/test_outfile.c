/* test_outfile.c - deferred renames, the temporary/lock registry, directory locks, the outputs table. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lad_lock.h"
#include "lad_options.h"
#include "lad_outfile.h"
#include "lad_outset.h"
#include "lad_test.h"

#define DIR_ "tmp_unit_outfile"

static char *slurp(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void reset_dir(void)
{
    CU_ASSERT_EQUAL(system("rm -rf " DIR_ " && mkdir -p " DIR_), 0);
    lad_ctx_clear_error(&lad_test_ctx);
}

static void put(const char *path, const char *text, struct lad_outfile *out)
{
    CU_ASSERT_EQUAL_FATAL(lad_outfile_open(&lad_test_ctx, out, path), LAD_OK);
    fputs(text, out->fp);
    CU_ASSERT_EQUAL(lad_outfile_commit(&lad_test_ctx, out), LAD_OK);
}

/* Without a transaction a commit renames at once, as it always did. */
static void test_immediate(void)
{
    reset_dir();
    struct lad_outfile out;
    put(DIR_ "/a.txt", "one", &out);
    CU_ASSERT_STRING_EQUAL(slurp(DIR_ "/a.txt"), "one");
    CU_ASSERT_EQUAL(lad_outfile_pending_count(), 0);
    CU_ASSERT_EQUAL(system("ls -A " DIR_ " | grep -q tmp"), 256); /* no temporary left */
}

/* Deferred: nothing appears under a final name until rename_pending, which keeps completion order. */
static void test_deferred(void)
{
    reset_dir();
    lad_test_write_file(DIR_ "/b.txt", "old");
    lad_outfile_defer(true);
    struct lad_outfile out;
    put(DIR_ "/b.txt", "new b", &out);
    put(DIR_ "/a.txt", "new a", &out);
    CU_ASSERT_STRING_EQUAL(slurp(DIR_ "/b.txt"), "old");
    CU_ASSERT_PTR_NULL(slurp(DIR_ "/a.txt"));
    CU_ASSERT_EQUAL_FATAL(lad_outfile_pending_count(), 2);
    const char *tmp, *final;
    lad_outfile_pending(0, &tmp, &final);
    CU_ASSERT_STRING_EQUAL(final, DIR_ "/b.txt");
    CU_ASSERT_STRING_EQUAL(slurp(tmp), "new b");
    lad_outfile_pending(1, &tmp, &final);
    CU_ASSERT_STRING_EQUAL(final, DIR_ "/a.txt");
    CU_ASSERT_EQUAL(lad_outfile_sync_pending(&lad_test_ctx), LAD_OK);
    CU_ASSERT_EQUAL(lad_outfile_rename_pending(&lad_test_ctx), LAD_OK);
    CU_ASSERT_STRING_EQUAL(slurp(DIR_ "/b.txt"), "new b");
    CU_ASSERT_STRING_EQUAL(slurp(DIR_ "/a.txt"), "new a");
    CU_ASSERT_EQUAL(lad_outfile_pending_count(), 0);

    /* Discarded: the old file stays, the temporary goes. */
    put(DIR_ "/b.txt", "newer", &out);
    lad_outfile_discard();
    CU_ASSERT_STRING_EQUAL(slurp(DIR_ "/b.txt"), "new b");
    CU_ASSERT_EQUAL(lad_outfile_pending_count(), 0);
    CU_ASSERT_EQUAL(system("ls -A " DIR_ " | grep -q tmp"), 256);

    /* A rename that fails removes what this commit renamed before it, and every other temporary. */
    CU_ASSERT_EQUAL(system("mkdir -p " DIR_ "/c.txt/sub"), 0);
    put(DIR_ "/d.txt", "d", &out);
    put(DIR_ "/c.txt", "c", &out);
    put(DIR_ "/e.txt", "e", &out);
    CU_ASSERT_EQUAL(lad_outfile_rename_pending(&lad_test_ctx), LAD_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(lad_test_ctx.err_msg, "c.txt"));
    CU_ASSERT_PTR_NULL(slurp(DIR_ "/d.txt"));
    CU_ASSERT_PTR_NULL(slurp(DIR_ "/e.txt"));
    CU_ASSERT_EQUAL(system("ls -A " DIR_ " | grep -q tmp"), 256);
    lad_outfile_defer(false);
}

/* What a signal handler removes: temporaries being written, pending ones, and locks. */
static void test_remove_registered(void)
{
    reset_dir();
    lad_outfile_defer(true);
    struct lad_outfile writing, done;
    put(DIR_ "/p.txt", "pending", &done);
    CU_ASSERT_EQUAL_FATAL(lad_outfile_open(&lad_test_ctx, &writing, DIR_ "/w.txt"), LAD_OK);
    fflush(writing.fp);
    lad_test_write_file(DIR_ "/.logad.lock", "x");
    int lock = lad_outfile_track_lock(DIR_ "/.logad.lock");
    CU_ASSERT(lock > 0);
    lad_outfile_remove_registered();
    CU_ASSERT_EQUAL(system("test -z \"$(ls -A " DIR_ ")\""), 0);
    lad_outfile_untrack(lock);
    lad_outfile_abort(&writing);
    lad_outfile_discard();
    lad_outfile_defer(false);
}

/* A pid that certainly names no process: a child that has been reaped. */
static long dead_pid(void)
{
    pid_t p = fork();
    if (p == 0)
        _exit(0);
    waitpid(p, NULL, 0);
    return (long)p;
}

static void test_lock(void)
{
    reset_dir();
    struct lad_lock a, b;
    CU_ASSERT_EQUAL_FATAL(lad_lock_take(&lad_test_ctx, DIR_, "run", &a), LAD_OK);
    char want[64];
    snprintf(want, sizeof want, "pid=%ld\n", (long)getpid());
    CU_ASSERT_PTR_NOT_NULL(strstr(slurp(DIR_ "/.logad.lock"), want));
    /* Held by a live process (this one): refused, naming it. */
    CU_ASSERT_EQUAL(lad_lock_take(&lad_test_ctx, DIR_, "detect", &b), LAD_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(lad_test_ctx.err_msg, "is in use by another logad run (run on host"));
    lad_ctx_clear_error(&lad_test_ctx);
    lad_lock_release(&a);
    CU_ASSERT_PTR_NULL(slurp(DIR_ "/.logad.lock"));

    /* A dead holder on this host: taken over, its temporaries removed, others' kept. */
    char host[256] = "", text[512], path[512];
    gethostname(host, sizeof host - 1);
    long dead = dead_pid();
    snprintf(text, sizeof text, "host=%s\npid=%ld\nboot=\nstart=0\njob=9\ncommand=run\nsince=x\n", host, dead);
    lad_test_write_file(DIR_ "/.logad.lock", text);
    snprintf(path, sizeof path, DIR_ "/.anomalies.csv.tmp.%ld", dead);
    lad_test_write_file(path, "");
    snprintf(path, sizeof path, DIR_ "/.f.tmp.%ld.rank2", dead);
    lad_test_write_file(path, "");
    snprintf(path, sizeof path, DIR_ "/.f.tmp.%ld0", dead);
    lad_test_write_file(path, "");
    CU_ASSERT_EQUAL_FATAL(lad_lock_take(&lad_test_ctx, DIR_, "run", &a), LAD_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(slurp(DIR_ "/.logad.lock"), want));
    CU_ASSERT_PTR_NOT_NULL(slurp(path));
    snprintf(path, sizeof path, DIR_ "/.anomalies.csv.tmp.%ld", dead);
    CU_ASSERT_PTR_NULL(slurp(path));
    snprintf(path, sizeof path, DIR_ "/.f.tmp.%ld.rank2", dead);
    CU_ASSERT_PTR_NULL(slurp(path));
    lad_lock_release(&a);

    /* The same pid, but a process that started at another time (a reused pid): dead too. */
    snprintf(text, sizeof text, "host=%s\npid=%ld\nboot=\nstart=1\njob=-\ncommand=run\nsince=x\n", host, (long)getpid());
    lad_test_write_file(DIR_ "/.logad.lock", text);
    CU_ASSERT_EQUAL(lad_lock_take(&lad_test_ctx, DIR_, "run", &a), LAD_OK);
    lad_lock_release(&a);

    /* Another host cannot be checked: refused, and the message says which file to remove. */
    snprintf(text, sizeof text, "host=%s-elsewhere\npid=%ld\nboot=\nstart=0\njob=-\ncommand=run\nsince=x\n", host, dead);
    lad_test_write_file(DIR_ "/.logad.lock", text);
    CU_ASSERT_EQUAL(lad_lock_take(&lad_test_ctx, DIR_, "run", &a), LAD_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(lad_test_ctx.err_msg, "remove " DIR_ "/.logad.lock"));
    lad_ctx_clear_error(&lad_test_ctx);
    unlink(DIR_ "/.logad.lock");
}

static void test_mkdir_created(void)
{
    reset_dir();
    char created[PATH_MAX];
    CU_ASSERT_EQUAL(lad_mkdir_p_created(&lad_test_ctx, DIR_ "/x/y/z", created), LAD_OK);
    CU_ASSERT_STRING_EQUAL(created, DIR_ "/x");
    CU_ASSERT_EQUAL(lad_mkdir_p_created(&lad_test_ctx, DIR_ "/x/y", created), LAD_OK);
    CU_ASSERT_STRING_EQUAL(created, "");
    lad_test_write_file(DIR_ "/f", "");
    CU_ASSERT_EQUAL(lad_mkdir_p_created(&lad_test_ctx, DIR_ "/f/g", created), LAD_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(lad_test_ctx.err_msg, DIR_ "/f exists and is not a directory"));
    lad_ctx_clear_error(&lad_test_ctx);
}

/* The stages' default paths come from the outputs table. */
static void test_table_paths(void)
{
    struct lad_options o;
    lad_options_defaults(&o);
    char buf[PATH_MAX];
    o.command = LAD_CMD_PREPROCESS;
    CU_ASSERT_STRING_EQUAL(lad_outset_path(&o, "--out"), "data/processed/features.h5");
    o.command = LAD_CMD_FEATURES;
    CU_ASSERT_STRING_EQUAL(lad_outset_path(&o, "--out"), "data/processed/matrix.h5");
    o.command = LAD_CMD_DETECT;
    CU_ASSERT_STRING_EQUAL(lad_outset_path(&o, "--out"), "results");
    CU_ASSERT_PTR_NULL(lad_outset_path(&o, "--models-dir"));
    o.command = LAD_CMD_RUN;
    o.out_path = "r";
    CU_ASSERT_STRING_EQUAL(lad_outset_path(&o, "--out"), "r");
    lad_outset_model_path(&o, "pca", buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "models/pca.h5");
    o.models_dir = "m";
    lad_outset_model_path(&o, "logreg", buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "m/logreg.h5");
    o.command = LAD_CMD_TRAIN;
    lad_outset_model_path(&o, "pca", buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "m/pca.h5"); /* train --models-dir */
    o.models_dir = NULL;
    lad_outset_model_path(&o, "pca", buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "models/pca.h5");
    o.model_out = "x.h5";
    lad_outset_model_path(&o, "pca", buf, sizeof buf);
    CU_ASSERT_STRING_EQUAL(buf, "x.h5");
}

int main(int argc, char **argv)
{
    CU_TestInfo tests[] = {
        {"without a transaction a commit renames at once", test_immediate},
        {"deferred renames: order, discard, a failing rename", test_deferred},
        {"a handler removes temporaries and locks", test_remove_registered},
        {"locks: held, dead holder, reused pid, other host", test_lock},
        {"mkdir -p reports what it created", test_mkdir_created},
        {"default paths from the outputs table", test_table_paths},
        CU_TEST_INFO_NULL,
    };
    CU_SuiteInfo suites[] = {{"outfile", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};
    return lad_test_main(argc, argv, suites);
}
