#!/usr/bin/env python3
"""explain_check.py RESULTS_DIR FEATURES_H5 - checks a `logad run --model both` result set against
numbers computed here without logad: every CSV parsed back with Python's csv module (RFC 4180), the
named events against the TopEvents column, the observed counts against features.h5 (written by
`logad preprocess` of the same log), PCA's expected counts and contributions recomputed from
models/pca.h5 (projection onto the normal subspace, mapped back through the transform), logreg's
contributions w_j y_j from models/logreg.h5 (positive only, the largest first), verdicts.h5's
/<model>/anomalies/ datasets against the CSV, and report.html's heatmap cells against the observed
counts. Reads HDF5 with h5dump only (no h5py or numpy needed). Prints one line per failure; exit 1
if any."""
import csv
import math
import os
import re
import struct
import subprocess
import sys
import tempfile

failures = []


def fail(msg):
    failures.append(msg)
    if len(failures) <= 20:
        print("FAIL: " + msg, file=sys.stderr)


def h5_numbers(path, name, fmt):
    """A numeric dataset as a flat list (fmt: q int64, d double, i int32, b int8), via h5dump -b."""
    with tempfile.NamedTemporaryFile(suffix=".bin") as tmp:
        subprocess.run(["h5dump", "-d", name, "-b", "LE", "-o", tmp.name, path], stdout=subprocess.DEVNULL,
                       check=True)
        data = open(tmp.name, "rb").read()
    size = struct.calcsize("<" + fmt)
    return list(struct.unpack("<%d%s" % (len(data) // size, fmt), data))


def h5_int_format(path, name):
    """The struct format of an integer dataset's stored type (features.h5 stores /counts narrow)."""
    out = subprocess.run(["h5dump", "-H", "-d", name, path], capture_output=True, text=True, check=True).stdout
    m = re.search(r"DATATYPE\s+H5T_STD_I(8|16|32|64)LE", out)
    if not m:
        fail("%s: %s is not a little-endian signed integer dataset" % (path, name))
    return {"8": "b", "16": "h", "32": "i", "64": "q"}[m.group(1)]


def h5_dims(path, name):
    out = subprocess.run(["h5dump", "-H", "-d", name, path], capture_output=True, text=True, check=True).stdout
    m = re.search(r"DATASPACE\s+SIMPLE \{ \( ([0-9, ]+) \)", out)
    return [int(x) for x in m.group(1).split(",")]


def h5_strings(path, name):
    out = subprocess.run(["h5dump", "-w", "0", "-d", name, path], capture_output=True, text=True, check=True).stdout
    data = out[out.index("DATA {"):]
    return [bytes(s, "utf-8").decode("unicode_escape") for s in re.findall(r'"((?:[^"\\]|\\.)*)"', data)]


def h5_attr(path, name):
    out = subprocess.run(["h5dump", "-a", name, path], capture_output=True, text=True, check=True).stdout
    return re.search(r"\(0\): (.*)", out).group(1).strip().strip('"')


def read_csv(path, header, width):
    with open(path, newline="") as f:
        rows = list(csv.reader(f, strict=True))
    if not rows or rows[0] != header:
        fail("%s: header %r" % (path, rows[0] if rows else None))
    for i, r in enumerate(rows[1:], 2):
        if len(r) != width:
            fail("%s:%d: %d fields, expected %d: %r" % (path, i, len(r), width, r))
    return rows[1:]


def main(res, features, n_top=3):
    names = ["pca", "logreg"]
    anomalies = {m: read_csv(os.path.join(res, "anomalies_%s.csv" % m), ["BlockId", "Label", "Score", "TopEvents"], 4)
                 for m in names}
    primary = read_csv(os.path.join(res, "anomalies.csv"), ["BlockId", "Label", "Score", "TopEvents"], 4)
    if primary != anomalies["logreg"]:
        fail("anomalies.csv differs from anomalies_logreg.csv")
    explained = read_csv(os.path.join(res, "anomalies_explained.csv"),
                         ["BlockId", "Model", "Rank", "EventId", "Observed", "Expected", "Contribution", "Template"], 8)

    # The counts of every block, from features.h5.
    keys = h5_numbers(features, "/sessions", "q")
    n_blocks, n_feat = h5_dims(features, "/counts")
    counts = h5_numbers(features, "/counts", h5_int_format(features, "/counts"))
    feat_tpl = h5_strings(features, "/events/templates")
    row_of = {"blk_%d" % k: i for i, k in enumerate(keys)}

    # Each model, as this script reads it from its file.
    model = {}
    for m in names:
        path = os.path.join(res, "models", m + ".h5")
        tpl = h5_strings(path, "/events/templates")
        ids = h5_strings(path, "/events/ids")
        col = [feat_tpl.index(t) if t in feat_tpl else -1 for t in tpl]
        spec = h5_attr(path, "transform")
        md = {"ids": ids, "tpl": tpl, "col": col, "n": len(ids), "log": "log" in spec,
              "weight": h5_numbers(path, "/transform/weight", "d"), "mean": h5_numbers(path, "/transform/mean", "d")}
        if m == "pca":
            md["k"] = int(h5_attr(path, "/pca/k"))
            md["P"] = h5_numbers(path, "/pca/components", "d")
        else:
            md["w"] = h5_numbers(path, "/logreg/weights", "d")
        model[m] = md

    def x_of(block, md):
        r = row_of[block]
        return [counts[r * n_feat + c] if c >= 0 else 0 for c in md["col"]]

    def y_of(x, md):
        return [((math.log1p(v) if md["log"] else v) - md["mean"][j]) * md["weight"][j] for j, v in enumerate(x)]

    # Explained rows grouped by (block, model), in file order.
    got = {}
    order = []
    for r in explained:
        got.setdefault((r[0], r[1]), []).append(r)
        order.append(r[0])
    block_order = [b for i, b in enumerate(order) if i == 0 or order[i - 1] != b]
    if len(block_order) != len(set(block_order)) or [int(b[4:]) for b in block_order] != sorted(
            int(b[4:]) for b in block_order):
        fail("anomalies_explained.csv is not grouped in block order")

    checked_expected = 0
    for m in names:
        md = model[m]
        flagged = 0
        for blk, label, score, top in anomalies[m]:
            rows = got.pop((blk, m), [])
            if label != "Anomaly":
                if rows or top:
                    fail("%s %s: a normal block names events" % (m, blk))
                continue
            flagged += 1
            named = top.split()
            if [r[3] for r in rows] != named or [r[2] for r in rows] != [str(i + 1) for i in range(len(named))]:
                fail("%s %s: explained rows %r, TopEvents %r" % (m, blk, [r[2:4] for r in rows], named))
                continue
            x = x_of(blk, md)
            y = y_of(x, md)
            if m == "pca":
                k, P, n = md["k"], md["P"], md["n"]
                proj = [sum(P[i * k + c] * y[i] for i in range(n)) for c in range(k)]
                yhat = [sum(P[i * k + c] * proj[c] for c in range(k)) for i in range(n)]
                contrib = [(y[j] - yhat[j]) ** 2 for j in range(n)]
            else:
                contrib = [md["w"][j] * y[j] for j in range(md["n"])]
            # The named events are the largest positive contributions, largest first; contributions
            # within 1e-9 of the largest magnitude are ties (lad_top.h), which either order satisfies.
            tol = 1e-9 * max(abs(c) for c in contrib)
            idx = [md["ids"].index(e) for e in named]
            rest = [contrib[j] for j in range(len(contrib)) if j not in idx]
            if any(not contrib[j] > tol for j in idx) \
                    or any(contrib[idx[i]] < contrib[idx[i + 1]] - tol for i in range(len(idx) - 1)) \
                    or (idx and rest and max(rest) > contrib[idx[-1]] + tol) \
                    or (len(idx) < n_top and any(c > tol for c in rest)):
                fail("%s %s: names %r with contributions %r; the others' largest is %r" % (
                    m, blk, named, [contrib[j] for j in idx], max(rest) if rest else None))
            for r in rows:
                j = md["ids"].index(r[3])
                if r[7] != md["tpl"][j]:
                    fail("%s %s %s: template %r, the model's %r" % (m, blk, r[3], r[7], md["tpl"][j]))
                if int(r[4]) != x[j]:
                    fail("%s %s %s: observed %s, features.h5 has %d" % (m, blk, r[3], r[4], x[j]))
                c = float(r[6])
                if not c > 0 or abs(c - contrib[j]) > 1e-9 * max(abs(contrib[j]), 1e-300):
                    fail("%s %s %s: contribution %s, recomputed %.12g" % (m, blk, r[3], r[6], contrib[j]))
                if m == "pca":
                    phi = yhat[j] / md["weight"][j] + md["mean"][j]
                    e = math.expm1(phi) if md["log"] else phi
                    if r[5] == "" or abs(float(r[5]) - e) > 0.0005 + 1e-12 * abs(e):
                        fail("pca %s %s: expected %r, recomputed %.6f" % (blk, r[3], r[5], e))
                    checked_expected += 1
                elif r[5] != "":
                    fail("logreg %s %s: an expected count %r" % (blk, r[3], r[5]))
        if flagged == 0:
            fail("%s: no anomalous block to check" % m)
    if got:
        fail("explained rows for blocks the model does not flag: %r" % list(got)[:3])
    if checked_expected == 0:
        fail("no PCA expected count was checked")

    # verdicts.h5: the same explanations, packed per model.
    vh5 = os.path.join(res, "verdicts.h5")
    sessions = h5_numbers(vh5, "/sessions", "q")
    if sessions != keys:
        fail("verdicts.h5 /sessions differs from features.h5")
    for m in names:
        md = model[m]
        rows = h5_numbers(vh5, "/%s/anomalies/row" % m, "q")
        ev = h5_numbers(vh5, "/%s/anomalies/events" % m, "i")
        obs = h5_numbers(vh5, "/%s/anomalies/observed" % m, "q")
        exp_ = h5_numbers(vh5, "/%s/anomalies/expected" % m, "d")
        con = h5_numbers(vh5, "/%s/anomalies/contribution" % m, "d")
        if h5_strings(vh5, "/%s/event_templates" % m) != md["tpl"] or h5_strings(vh5, "/%s/event_ids" % m) != md["ids"]:
            fail("verdicts.h5 /%s/event_*: not the model's events" % m)
        want = [(b, t) for b, l, s, t in anomalies[m] if l == "Anomaly"]
        if ["blk_%d" % sessions[r] for r in rows] != [b for b, t in want]:
            fail("verdicts.h5 /%s/anomalies/row: not the anomalous blocks of the CSV" % m)
            continue
        k = len(ev) // max(len(rows), 1)
        for i, (b, t) in enumerate(want):
            named = [md["ids"][e] for e in ev[i * k:(i + 1) * k] if e >= 0]
            if named != t.split():
                fail("verdicts.h5 %s %s: events %r, CSV %r" % (m, b, named, t))
            x = x_of(b, md)
            for q in range(len(named)):
                e = ev[i * k + q]
                if obs[i * k + q] != x[e] or not con[i * k + q] > 0:
                    fail("verdicts.h5 %s %s: observed %d / contribution %g" % (m, b, obs[i * k + q], con[i * k + q]))
                if (m == "logreg") != math.isnan(exp_[i * k + q]):
                    fail("verdicts.h5 %s %s: expected %g" % (m, b, exp_[i * k + q]))

    # report.html: every heatmap cell of a (block, event) the CSV explains shows the observed count.
    html = open(os.path.join(res, "report.html")).read()
    cells = 0
    for m in names:
        sec = html[html.index('<h2 id="model-%s">' % m):]
        sec = sec[:sec.index("<h2 ", 5)] if "<h2 " in sec[5:] else sec
        observed = {(r[0], r[3]): int(r[4]) for r in explained if r[1] == m}
        for blk, ev_id, n in re.findall(r"<title>(blk_-?\d+), ([^:<]+): (\d+) line\(s\)</title>", sec):
            if (blk, ev_id) in observed:
                cells += 1
                if observed[(blk, ev_id)] != int(n):
                    fail("report %s: heatmap %s %s shows %s, explained says %d" % (m, blk, ev_id, n,
                                                                                   observed[(blk, ev_id)]))
    if cells == 0:
        fail("report.html: no heatmap cell of an explained event")
    print("checked %d explained rows, %d PCA expected counts, %d heatmap cells" % (len(explained), checked_expected,
                                                                                 cells))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
