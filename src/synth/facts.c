/*
 * facts.c - the physical side of a synthetic block, the same in every line about it: the three
 * datanodes of its write pipeline, the two that receive copies when it is re-replicated, its size, the
 * map task that wrote it and where each replica keeps its file. Drawn from the block's seed alone.
 */
#include "lad_synth.h"
#include "synth_internal.h"

#define CLUSTER_NODES LAD__SYNTH_CLUSTER_NODES
#define FULL_BLOCK 67108864 /* dfs.block.size of HDFS_v1 */

static int distinct_node(struct lad_rng *rng, const int *taken, int n_taken)
{
    for (;;) {
        int k = (int)lad__synth_draw(rng, CLUSTER_NODES);
        bool clash = false;
        for (int i = 0; i < n_taken; i++)
            clash |= taken[i] == k;
        if (!clash)
            return k;
    }
}

void lad_synth_block_facts(uint64_t seed, struct lad_synth_facts *f)
{
    struct lad_rng rng;
    lad_rng_init(&rng, seed, 0);
    int nodes[5];
    for (int i = 0; i < 5; i++)
        nodes[i] = distinct_node(&rng, nodes, i);
    for (int i = 0; i < 3; i++)
        f->replica[i] = (int16_t)nodes[i];
    for (int i = 0; i < 2; i++)
        f->target[i] = (int16_t)nodes[3 + i];
    f->rotation = (uint8_t)lad__synth_draw(&rng, 3);
    if (lad__synth_draw(&rng, 4) != 0) {
        f->size = FULL_BLOCK;
    } else { /* log-uniform from 1 KB to 64 MB, like the tails of files of every size */
        int e = 10 + (int)lad__synth_draw(&rng, 16);
        f->size = (1LL << e) + (int64_t)lad__synth_draw(&rng, 1U << e);
        if (f->size >= FULL_BLOCK)
            f->size = FULL_BLOCK - 1 - (int64_t)lad__synth_draw(&rng, 1U << 20);
    }
    for (int i = 0; i < 3; i++)
        f->subdir[i] = (uint8_t)lad__synth_draw(&rng, 64);
    f->task = (int32_t)lad__synth_draw(&rng, 2000);
    f->attempt = lad__synth_draw(&rng, 20) == 0;
    uint32_t u = lad__synth_draw(&rng, 400);
    f->file = (uint8_t)(u < 3 ? 1 + u : 0);
}

