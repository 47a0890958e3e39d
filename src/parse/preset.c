/*
 * preset.c - header formats and mining settings of the 16 loghub systems.
 *
 * Formats, regex masks, similarity and depth are the logparser benchmark's settings for Drain (see
 * tests/data/loghub_2k/SETTINGS.md), so "logad with a preset" and "Drain in the benchmark" start from
 * the same place. builtin_masks adds logad's own scanner on top (lad_mask.h), and every preset uses all
 * of its kinds: dropping any one kind never raised GA on a 2k sample by more than 0.002 and lowered it
 * by up to 0.45 elsewhere (Linux without date-times, OpenStack without UUIDs, HealthApp without
 * numbers), and kinds that are neutral on 2,000 lines still matter on a full log, where more values
 * vary. bench/parse_accuracy.sh measures the result against Drain's published GA.
 */
#include "lad_preset.h"

#include <stddef.h>
#include <strings.h>

#include "lad_mask.h"

static const char *const hdfs_masks[] = {NULL};
static const char *const hadoop_masks[] = {"(\\d+\\.){3}\\d+", NULL};
static const char *const spark_masks[] = {"(\\d+\\.){3}\\d+", "\\b[KGTM]?B\\b", "([\\w-]+\\.){2,}[\\w-]+", NULL};
static const char *const zookeeper_masks[] = {"(/|)(\\d+\\.){3}\\d+(:\\d+)?", NULL};
static const char *const bgl_masks[] = {"core\\.\\d+", NULL};
static const char *const hpc_masks[] = {"=\\d+", NULL};
static const char *const thunderbird_masks[] = {"(\\d+\\.){3}\\d+", NULL};
static const char *const windows_masks[] = {"0x.*?\\s", NULL};
static const char *const linux_masks[] = {"(\\d+\\.){3}\\d+", "\\d{2}:\\d{2}:\\d{2}", NULL};
static const char *const android_masks[] = {"(/[\\w-]+)+", "([\\w-]+\\.){2,}[\\w-]+",
                                            "\\b(\\-?\\+?\\d+)\\b|\\b0[Xx][a-fA-F\\d]+\\b|\\b[a-fA-F\\d]{4,}\\b", NULL};
static const char *const healthapp_masks[] = {NULL};
static const char *const apache_masks[] = {"(\\d+\\.){3}\\d+", NULL};
static const char *const proxifier_masks[] = {"<\\d+\\ssec", "([\\w-]+\\.)+[\\w-]+(:\\d+)?", "\\d{2}:\\d{2}(:\\d{2})*",
                                              "[KGTM]B", NULL};
static const char *const openssh_masks[] = {"(\\d+\\.){3}\\d+", "([\\w-]+\\.){2,}[\\w-]+", NULL};
static const char *const openstack_masks[] = {"((\\d+\\.){3}\\d+,?)+", "/.+?\\s", "\\d+", NULL};
static const char *const mac_masks[] = {"([\\w-]+\\.){2,}[\\w-]+", NULL};

static const struct lad_preset presets[] = {
    {"hdfs", "HDFS", "<Date> <Time> <Pid> <Level> <Component>: <Content>", hdfs_masks, LAD_MASK_ALL, 0.5, 4},
    {"hadoop", "Hadoop", "<Date> <Time> <Level> \\[<Process>\\] <Component>: <Content>", hadoop_masks, LAD_MASK_ALL,
     0.5, 4},
    {"spark", "Spark", "<Date> <Time> <Level> <Component>: <Content>", spark_masks, LAD_MASK_ALL, 0.5, 4},
    {"zookeeper", "Zookeeper", "<Date> <Time> - <Level>  \\[<Node>:<Component>@<Id>\\] - <Content>", zookeeper_masks,
     LAD_MASK_ALL, 0.5, 4},
    {"bgl", "BGL", "<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>",
     bgl_masks, LAD_MASK_ALL, 0.5, 4},
    {"hpc", "HPC", "<LogId> <Node> <Component> <State> <Time> <Flag> <Content>", hpc_masks, LAD_MASK_ALL, 0.5, 4},
    {"thunderbird", "Thunderbird",
     "<Label> <Timestamp> <Date> <User> <Month> <Day> <Time> <Location> <Component>(\\[<PID>\\])?: <Content>",
     thunderbird_masks, LAD_MASK_ALL, 0.5, 4},
    {"windows", "Windows", "<Date> <Time>, <Level>                  <Component>    <Content>", windows_masks,
     LAD_MASK_ALL, 0.7, 5},
    {"linux", "Linux", "<Month> <Date> <Time> <Level> <Component>(\\[<PID>\\])?: <Content>", linux_masks, LAD_MASK_ALL,
     0.39, 6},
    {"android", "Android", "<Date> <Time>  <Pid>  <Tid> <Level> <Component>: <Content>", android_masks, LAD_MASK_ALL,
     0.2, 6},
    {"healthapp", "HealthApp", "<Time>\\|<Component>\\|<Pid>\\|<Content>", healthapp_masks, LAD_MASK_ALL, 0.2, 4},
    {"apache", "Apache", "\\[<Time>\\] \\[<Level>\\] <Content>", apache_masks, LAD_MASK_ALL, 0.5, 4},
    {"proxifier", "Proxifier", "\\[<Time>\\] <Program> - <Content>", proxifier_masks, LAD_MASK_ALL, 0.6, 3},
    {"openssh", "OpenSSH", "<Date> <Day> <Time> <Component> sshd\\[<Pid>\\]: <Content>", openssh_masks, LAD_MASK_ALL,
     0.6, 5},
    {"openstack", "OpenStack", "<Logrecord> <Date> <Time> <Pid> <Level> <Component> \\[<ADDR>\\] <Content>",
     openstack_masks, LAD_MASK_ALL, 0.5, 5},
    {"mac", "Mac", "<Month>  <Date> <Time> <User> <Component>\\[<PID>\\]( \\(<Address>\\))?: <Content>", mac_masks,
     LAD_MASK_ALL, 0.7, 6},
};
#define N_PRESETS (sizeof presets / sizeof presets[0])

const struct lad_preset *lad_preset_find(const char *name)
{
    for (size_t i = 0; i < N_PRESETS; i++)
        if (strcasecmp(presets[i].name, name) == 0)
            return &presets[i];
    return NULL;
}

const struct lad_preset *lad_preset_at(int i)
{
    return (i >= 0 && (size_t)i < N_PRESETS) ? &presets[i] : NULL;
}
