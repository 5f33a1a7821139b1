#!/usr/bin/python3
"""Tables and plots of the benchmarks' CSV files (Debian's python3 with
python3-matplotlib; scripts/install-deps --bench installs it).

  plot.py nic-throughput CSV PNG TITLE
      CSV columns config,run,push_mbs,pull_mbs: prints per configuration
      the median and spread (min-max) of each direction and the ratios of
      the medians to igb and virtio-net-pci; bars with spread.

  plot.py dma-throughput CSV PNG TITLE [ENGINE_CSV LATENCY_CSV]
      CSV columns size,host_memcpy,qtest_dma,dmatest,guest_cpu,ioat_copy
      and optionally qtest_iothread, dmatest_iothread, ioat_copy_iothread
      (GB/s, nan where not measured): GB/s against copy size for each, and
      the copybreaks, where the engine under dmatest and through
      /dev/ioat-copy overtakes the guest CPU (interpolated on the log-size
      axis), marked.  ENGINE_CSV (engine,size,host_memcpy,engine_gbs, one
      row per pair of a host pass and an engine run): per engine the
      medians and the pairs' ratios, median and range.  LATENCY_CSV (engine,round,hw_p10,hw_p50,hw_p90,
      irq_p50,ioctl_p50,device_p50, ns): the 64-byte copy's latency per engine
      (guest and device), median and range over the rounds, as bars next
      to the throughput.

  plot.py multiqueue CSV PNG TITLE
      CSV columns queues,flows,bytes,seconds,cpu0,cpu1,... (softirq
      seconds per CPU): per queue count, each CPU's softirq time as
      stacked bars and the total throughput as a line, against flows.

  plot.py zerocopy CSV PNG TITLE
      CSV columns split,mode,size,run,bytes,seconds,user,sys,calls,mapped,
      copied,softirq: prints per header split, receive mode and size the
      median throughput (with its spread), the receiver's seconds per GiB
      inside its receive calls, its process CPU (user + system) and
      softirq seconds per GiB, and the share of bytes mapped; plots
      throughput and receive-call time per GiB against the receive size.

  plot.py nic-devcost CSV PNG TITLE
      CSV columns nic,pairs,instructions (two pair counts per NIC): prints
      and plots instructions per pair, the difference over the difference.
"""

import csv
import statistics
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def nic_throughput(csv_path, png, title):
    runs = defaultdict(lambda: {"push": [], "pull": []})
    order = []
    with open(csv_path) as f:
        for row in csv.DictReader(f):
            cfg = row["config"]
            if cfg not in order:
                order.append(cfg)
            runs[cfg]["push"].append(float(row["push_mbs"]))
            runs[cfg]["pull"].append(float(row["pull_mbs"]))
    med = {c: {d: statistics.median(runs[c][d]) for d in ("push", "pull")}
           for c in order}

    print(f"\n{'NIC':<16} {'push MB/s':>10} {'spread':>12} {'vs igb':>7}"
          f" {'pull MB/s':>10} {'spread':>12} {'vs igb':>7} {'vs virtio':>9}")
    for c in order:
        cells = []
        for d in ("push", "pull"):
            lo, hi = min(runs[c][d]), max(runs[c][d])
            cells.append(f"{med[c][d]:>10.1f} {lo:>5.1f}-{hi:<6.1f}"
                         f" {med[c][d] / med['igb'][d]:>7.2f}")
        virtio = med[c]["pull"] / med["virtio-net-pci"]["pull"]
        print(f"{c:<16} {cells[0]} {cells[1]} {virtio:>9.2f}")

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, d in zip(axes, ("push", "pull")):
        m = [med[c][d] for c in order]
        lo = [m[i] - min(runs[c][d]) for i, c in enumerate(order)]
        hi = [max(runs[c][d]) - m[i] for i, c in enumerate(order)]
        ax.bar(order, m, yerr=[lo, hi], capsize=4,
               color=["tab:blue" if c.startswith("ioat") else "tab:gray"
                      for c in order])
        ax.set_title(f"{d} ({'guest to host' if d == 'push' else 'host to guest'})")
        ax.set_ylabel("MB/s (median, bars: min-max)")
        ax.tick_params(axis="x", rotation=30)
    fig.suptitle(f"Guest TCP over slirp, TCG: {title}")
    fig.tight_layout()
    fig.savefig(png, dpi=100)


def nic_devcost(csv_path, png, title):
    runs = defaultdict(dict)
    with open(csv_path) as f:
        for row in csv.DictReader(f):
            runs[row["nic"]][int(row["pairs"])] = int(row["instructions"])
    per_pair = {}
    for nic, counts in runs.items():
        (n0, i0), (n1, i1) = sorted(counts.items())
        per_pair[nic] = (i1 - i0) / (n1 - n0)
    print(f"\n{'NIC':<10} {'instructions/pair':>18} {'vs igb':>7}")
    for nic, v in per_pair.items():
        print(f"{nic:<10} {v:>18.0f} {v / per_pair['igb']:>7.2f}")
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.bar(list(per_pair), list(per_pair.values()),
           color=["tab:blue" if n.startswith("ioat") else "tab:gray"
                  for n in per_pair])
    ax.set_ylabel("host instructions per TX+RX pair")
    ax.set_title(f"Device cost: {title}", fontsize=9)
    fig.tight_layout()
    fig.savefig(png, dpi=100)


def _median_range(values):
    values = [v for v in values if v == v]      # drop nan
    if not values:
        return float("nan"), float("nan"), float("nan")
    return statistics.median(values), min(values), max(values)


def dma_engine_table(engine_csv):
    """The engine against host memcpy in pairs (engine,size,host_memcpy,
    engine_gbs): per engine and size the medians and the median (min-max)
    of the pairs' engine/host."""
    with open(engine_csv) as f:
        rows = list(csv.DictReader(f))
    engines = list(dict.fromkeys(r["engine"] for r in rows))
    sizes = sorted({int(r["size"]) for r in rows})
    print("\nThe engine alone (qtest) against host memcpy, each engine run "
          "right after one host pass over the same copies; GB/s medians, "
          "ratio: median (min-max) of the pairs' engine/host")
    print(f"{'size':>9}" + "".join(f" {e + ' host':>15} {e:>10} {'ratio':>17}"
                                   for e in engines))
    for size in sizes:
        line = f"{size:>9}"
        for e in engines:
            rs = [r for r in rows if r["engine"] == e and int(r["size"]) == size]
            host = _median_range([float(r["host_memcpy"]) for r in rs])[0]
            eng = _median_range([float(r["engine_gbs"]) for r in rs])[0]
            ratio = _median_range([float(r["engine_gbs"]) /
                                   float(r["host_memcpy"]) for r in rs])
            line += (f" {host:>15.2f} {eng:>10.2f} {ratio[0]:>5.2f}x "
                     f"({ratio[1]:.2f}-{ratio[2]:.2f})")
        print(line)


def dma_latency(latency_csv, ax):
    """The 64-byte copy's doorbell-to-completion p50 per engine: median
    (min-max) over the rounds, printed and drawn as bars."""
    with open(latency_csv) as f:
        rows = list(csv.DictReader(f))
    engines = list(dict.fromkeys(r["engine"] for r in rows))
    print("\n64-byte copy through /dev/ioat-copy, 2000 copies per round, "
          "microseconds: median (min-max) over the rounds of each round's")
    print("p50 from the doorbell to the driver's completion callback (hw), "
          "and of the whole ioctl")
    print("and to its interrupt handler (irq), and the device's share, QEMU's "
          "doorbell-to-interrupt p50 from its trace (device, a traced boot "
          "of its own)")
    meds, devs, irqs = {}, {}, {}
    for e in engines:
        hw = _median_range([float(r["hw_p50"]) / 1000
                            for r in rows if r["engine"] == e])
        irq = _median_range([float(r.get("irq_p50", "nan")) / 1000
                             for r in rows if r["engine"] == e])
        call = _median_range([float(r["ioctl_p50"]) / 1000
                              for r in rows if r["engine"] == e])
        dev = _median_range([float(r.get("device_p50", "nan")) / 1000
                             for r in rows if r["engine"] == e])
        meds[e], devs[e], irqs[e] = hw, dev, irq
        print(f"  {e:<10} hw p50 {hw[0]:6.1f} ({hw[1]:.1f}-{hw[2]:.1f})"
              f"   irq p50 {irq[0]:6.1f} ({irq[1]:.1f}-{irq[2]:.1f})"
              f"   ioctl p50 {call[0]:6.1f} ({call[1]:.1f}-{call[2]:.1f})"
              f"   device p50 {dev[0]:5.1f} ({dev[1]:.1f}-{dev[2]:.1f})")
    for a, b in (("iothread", "main-loop"), ("iothread", "baseline"),
                 ("main-loop", "baseline")):
        if a in meds and b in meds:
            print(f"  {a} / {b}: hw p50 {meds[a][0] / meds[b][0]:.2f}x, "
                  f"irq p50 {irqs[a][0] / irqs[b][0]:.2f}x, "
                  f"device p50 {devs[a][0] / devs[b][0]:.2f}x")
    x = range(len(engines))
    for off, vals, color, label in (
            (-0.27, meds, "tab:blue", "guest: doorbell to callback"),
            (0, irqs, "tab:purple", "guest: doorbell to interrupt"),
            (0.27, devs, "tab:green", "device: doorbell to interrupt")):
        ax.bar([i + off for i in x], [vals[e][0] for e in engines], width=0.27,
               yerr=[[vals[e][0] - vals[e][1] for e in engines],
                     [vals[e][2] - vals[e][0] for e in engines]],
               capsize=3, color=color, label=label)
    ax.set_xticks(list(x), engines)
    ax.legend(fontsize=7)
    ax.set_ylabel("doorbell to completion, p50 (us)")
    ax.set_title("64-byte copy latency", fontsize=9)


def dma_throughput(csv_path, png, title, engine_csv=None, latency_csv=None):
    import math
    with open(csv_path) as f:
        rows = [{k: float(v) for k, v in r.items()} for r in csv.DictReader(f)]
    sizes = [r["size"] for r in rows]
    if engine_csv:
        dma_engine_table(engine_csv)
    print("\nGB/s (10^9 bytes/s); engine in the main loop, and (io) in an "
          "iothread")
    cols = [("host_memcpy", "host"), ("qtest_dma", "qtest"),
            ("qtest_iothread", "qtest io"), ("dmatest", "dmatest"),
            ("dmatest_iothread", "dmatest io"), ("guest_cpu", "guest CPU"),
            ("ioat_copy", "ioat-copy"), ("ioat_copy_iothread", "ioat-copy io")]
    cols = [(k, n) for k, n in cols if k in rows[0]]
    print(f"{'size':>9}" + "".join(f" {n:>12}" for _, n in cols))
    for r in rows:
        print(f"{int(r['size']):>9}" + "".join(
            f" {r[k]:>12.4f}" if r[k] == r[k] else f" {'-':>12}"
            for k, _ in cols))
    if latency_csv:
        fig, (ax, lax) = plt.subplots(1, 2, figsize=(10, 4.5),
                                      gridspec_kw={"width_ratios": [3, 1]})
    else:
        fig, ax = plt.subplots(figsize=(7, 4.5))
    for key, label, style, color in (
            ("host_memcpy", "host memcpy", "-", "tab:blue"),
            ("qtest_dma", "engine through qtest (no guest)", "-", "tab:orange"),
            ("qtest_iothread", "the same, engine in an iothread", "--",
             "tab:orange"),
            ("dmatest", "engine under dmatest (guest kernel)", "-", "tab:red"),
            ("dmatest_iothread", "the same, engine in an iothread", "--",
             "tab:red"),
            ("ioat_copy", "engine through /dev/ioat-copy (guest user)", "-",
             "tab:brown"),
            ("ioat_copy_iothread", "the same, engine in an iothread", "--",
             "tab:brown"),
            ("guest_cpu", "guest CPU memcpy (TCG)", "-", "tab:gray")):
        if key in rows[0]:
            ax.plot(sizes, [r.get(key, math.nan) for r in rows], marker="o",
                    markersize=3, linestyle=style, color=color, label=label)
    for key, name, style in (("dmatest", "dmatest", "--"),
                             ("ioat_copy", "/dev/ioat-copy", ":")):
        cross = None
        for a, b in zip(rows, rows[1:]):
            da = a.get(key, math.nan) - a["guest_cpu"]
            db = b.get(key, math.nan) - b["guest_cpu"]
            if da < 0 <= db:
                t = -da / (db - da)
                cross = math.exp(math.log(a["size"]) +
                                 t * (math.log(b["size"]) - math.log(a["size"])))
        if cross:
            ax.axvline(cross, color="black", linestyle=style,
                       label=f"copybreak, {name}: ~{cross / 1024:.0f} KiB")
            print(f"copybreak ({name} overtakes the guest CPU): ~{cross:.0f} bytes")
        else:
            print(f"no copybreak for {name} between the measured sizes")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("copy size (bytes)")
    ax.set_ylabel("GB/s")
    ax.set_title(f"ioat-dma copies: {title}", fontsize=9)
    ax.legend(fontsize=7)
    if latency_csv:
        dma_latency(latency_csv, lax)
    fig.tight_layout()
    fig.savefig(png, dpi=100)


def multiqueue(csv_path, png, title):
    with open(csv_path) as f:
        rows = [{k: float(v) for k, v in r.items()} for r in csv.DictReader(f)]
    cpus = sorted((k for k in rows[0] if k.startswith("cpu")),
                  key=lambda k: int(k[3:]))
    queue_counts = sorted({int(r["queues"]) for r in rows})
    fig, axes = plt.subplots(1, len(queue_counts), figsize=(4 * len(queue_counts), 4),
                             sharey=True, squeeze=False)
    top = max(r["bytes"] / r["seconds"] / 1e6 for r in rows) * 1.1
    for ax, q in zip(axes[0], queue_counts):
        sel = sorted((r for r in rows if int(r["queues"]) == q),
                     key=lambda r: r["flows"])
        x = range(len(sel))
        bottom = [0.0] * len(sel)
        for cpu in cpus:
            vals = [r[cpu] for r in sel]
            ax.bar(x, vals, bottom=bottom, label=f"softirq {cpu}")
            bottom = [b + v for b, v in zip(bottom, vals)]
        ax.set_xticks(list(x), [str(int(r["flows"])) for r in sel])
        ax.set_xlabel("TCP flows")
        ax.set_title(f"{q} queue{'s' if q > 1 else ''}", fontsize=9)
        tw = ax.twinx()
        tw.plot(list(x), [r["bytes"] / r["seconds"] / 1e6 for r in sel],
                color="black", marker="o", label="MB/s received")
        tw.set_ylim(0, top)
        if q == queue_counts[-1]:
            tw.set_ylabel("MB/s received")
            tw.legend(fontsize=7, loc="upper right")
        for r in sel:
            print(f"queues {q} flows {int(r['flows']):2d}: "
                  f"{r['bytes'] / r['seconds'] / 1e6:6.1f} MB/s, softirq s per CPU "
                  + " ".join(f"{r[c]:.2f}" for c in cpus))
    axes[0][0].set_ylabel("receiver softirq time (s)")
    axes[0][0].legend(fontsize=7, loc="upper left")
    fig.suptitle(f"receive spread by RSS: {title}", fontsize=9)
    fig.tight_layout()
    fig.savefig(png, dpi=100)


def zerocopy(csv_path, png, title):
    with open(csv_path) as f:
        rows = list(csv.DictReader(f))
    groups = defaultdict(list)
    for r in rows:
        groups[(r["split"], r["mode"], int(r["size"]))].append(
            {k: float(v) for k, v in r.items() if k not in ("split", "mode")})
    gib = 1 << 30
    fig, (ax_t, ax_c) = plt.subplots(1, 2, figsize=(10, 4))
    print(f"{'split':5} {'mode':4} {'size':>8} {'MB/s (spread)':>20} "
          f"{'calls s/GiB':>11} {'CPU s/GiB':>9} {'softirq s/GiB':>13} "
          f"{'mapped':>7}")
    for split, mode, style in (("on", "map", "-o"), ("on", "copy", "-s"),
                               ("off", "map", "--o"), ("off", "copy", "--s")):
        sizes = sorted(s for (sp, m, s) in groups if sp == split and m == mode)
        if not sizes:
            continue
        med_t, lo, hi, med_k = [], [], [], []
        for size in sizes:
            runs = groups[(split, mode, size)]
            rates = [r["bytes"] / r["seconds"] / 1e6 for r in runs]
            calls = [r["calls"] * gib / r["bytes"] for r in runs]
            cpu = [(r["user"] + r["sys"]) * gib / r["bytes"] for r in runs]
            soft = [r["softirq"] * gib / r["bytes"] for r in runs]
            mapped = sum(r["mapped"] for r in runs) / sum(r["bytes"] for r in runs)
            m = statistics.median(rates)
            med_t.append(m)
            lo.append(m - min(rates))
            hi.append(max(rates) - m)
            med_k.append(statistics.median(calls))
            print(f"{split:5} {mode:4} {size:8d} {m:8.1f} ({min(rates):.1f}-{max(rates):.1f})"
                  f"{'':>3} {med_k[-1]:11.2f} {statistics.median(cpu):9.2f} "
                  f"{statistics.median(soft):13.2f} {mapped:7.1%}")
        label = f"split {split}, {'mapped' if mode == 'map' else 'read() copy'}"
        ax_t.errorbar(sizes, med_t, yerr=[lo, hi], fmt=style, capsize=3, label=label)
        ax_c.plot(sizes, med_k, style, label=label)
    for ax in (ax_t, ax_c):
        ax.set_xscale("log", base=2)
        ax.set_xlabel("receive size (bytes per read() or mapping call)")
        ax.set_ylim(bottom=0)
    ax_t.set_ylabel("MB/s received (median, spread)")
    ax_c.set_ylabel("s/GiB in read()/getsockopt() (median)")
    ax_t.legend(fontsize=7)
    fig.suptitle(f"copy vs page mapping on receive: {title}", fontsize=9)
    fig.tight_layout()
    fig.savefig(png, dpi=100)


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "nic-throughput":
        nic_throughput(*sys.argv[2:])
    elif len(sys.argv) in (5, 7) and sys.argv[1] == "dma-throughput":
        dma_throughput(*sys.argv[2:])
    elif len(sys.argv) == 5 and sys.argv[1] == "multiqueue":
        multiqueue(*sys.argv[2:])
    elif len(sys.argv) == 5 and sys.argv[1] == "zerocopy":
        zerocopy(*sys.argv[2:])
    elif len(sys.argv) == 5 and sys.argv[1] == "nic-devcost":
        nic_devcost(*sys.argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
