#!/usr/bin/env python3
"""Draws ecs-bridge's Grafana dashboard from real /metrics scrapes, without Grafana (`make dashboard-png`).

Reads the dashboard JSON (helm/ecs-bridge/files/grafana-dashboard.json) and the scrapes collect.py recorded (one JSON
line per scrape: {"t", "text"}), evaluates every panel's PromQL (promql.py: the subset the dashboard uses; anything
else fails the run) at each scrape's time, as Grafana would ask Prometheus for the range, and draws the panels at
their gridPos (24 columns) with their titles, units and legends (legendFormat) to a PNG that says how it was made.

Prometheus adds target labels to what it scrapes; so does this: job, instance and pod (TARGET_LABELS). Template
variables with "All" (job, account, region) become the alternation of their label_values() over the scrapes, as
Grafana does; $__rate_interval is max(4 x scrape interval, step + scrape interval) with the step = the scrape interval.

usage: render.py SCRAPES.jsonl OUT.png [--dashboard PATH]
"""
import argparse
import datetime
import json
import math
import os
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

import promql  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DASHBOARD = os.path.join(ROOT, "helm", "ecs-bridge", "files", "grafana-dashboard.json")
TARGET_LABELS = {"job": "ecs-bridge", "instance": "ecs-bridge-make-run:8080", "pod": "ecs-bridge-make-run"}
PALETTE = ["#73BF69", "#F2CC0C", "#8AB8FF", "#FF780A", "#F2495C", "#5794F2", "#B877D9", "#FF9830", "#96D98D",
           "#FFB357", "#CA95E5", "#FADE2A", "#C4162A", "#1F60C4", "#8F3BB8", "#56A64B"]
BG, PANEL, TEXT, GRID = "#111217", "#181b1f", "#ccccdc", "#2c3235"


def load_scrapes(path):
    """The scrapes [(t, samples)] and the scenario's events [(t, what)] collect.py recorded."""
    scrapes, events = [], []
    with open(path) as f:
        for line in f:
            s = json.loads(line)
            if "event" in s:
                events.append((s["t"], s["event"]))
            else:
                scrapes.append((s["t"], promql.parse_exposition(s["text"], TARGET_LABELS)))
    if len(scrapes) < 3:
        raise SystemExit(f"{path}: {len(scrapes)} scrapes; need a few minutes of them")
    return scrapes, events


def resolve_variables(dashboard, series, times, rate_interval):
    """Grafana's template variables, each at "All": its custom allValue when it has one, else the alternation of its
    label_values() over the whole range."""
    variables = {"__rate_interval": f"{int(rate_interval)}s", "__interval": f"{int(rate_interval / 4)}s"}
    for var in dashboard.get("templating", {}).get("list", []):
        if var["type"] == "datasource":
            variables[var["name"]] = "prometheus"
            continue
        if var["type"] != "query" or var.get("current", {}).get("value") not in ("$__all", ["$__all"]):
            raise SystemExit(f"variable {var['name']}: only query variables at All are supported")
        if var.get("allValue") is not None:  # Grafana puts a custom "All" value in as it is
            variables[var["name"]] = var["allValue"]
            continue
        query = var["query"] if isinstance(var["query"], str) else var["query"].get("query")
        m = re.fullmatch(r"\s*label_values\((.*),\s*(\w+)\)\s*", query)
        if not m:
            raise SystemExit(f"variable {var['name']}: only label_values(selector, label) is supported: {query}")
        selector = promql.parse(promql.interpolate(m.group(1), variables))
        values = set()
        for t in times:
            for labels in promql.evaluate(selector, series, t):
                values.update(v for k, v in labels if k == m.group(2))
        if not values:
            raise SystemExit(f"variable {var['name']}: label_values found nothing: {query}")
        variables[var["name"]] = "(" + "|".join(re.escape(v) for v in sorted(values)) + ")"
    return variables


def evaluate_panel(panel, variables, series, times):
    """[(target, {labels: [value or nan per time]})] of a panel's targets."""
    out = []
    for target in panel.get("targets", []):
        expr = promql.interpolate(target["expr"], variables)
        ast = promql.parse(expr)
        for matchers in promql.selectors(ast):
            if not promql.matches_anything(matchers, series):
                shown = ", ".join(f'{k}{op}"{v}"' for k, op, v in matchers)
                raise SystemExit(f"panel {panel['title']!r}: the selector {{{shown}}} matches no series in any "
                                 f"scrape (a metric or label the operator does not expose?): {target['expr']}")
        lines = {}
        for i, t in enumerate(times):
            for labels, v in promql.evaluate(ast, series, t).items():
                lines.setdefault(labels, [math.nan] * len(times))[i] = v
        out.append((target, lines))
    return out


def unit_formatter(unit):
    def fmt(v, _pos=None):
        if unit == "bytes":
            for div, suffix in ((2 ** 30, "GiB"), (2 ** 20, "MiB"), (2 ** 10, "KiB")):
                if abs(v) >= div:
                    return f"{v / div:.0f} {suffix}" if v % div == 0 else f"{v / div:.1f} {suffix}"
            return f"{v:.0f} B"
        if unit == "s":
            if v == 0:
                return "0 s"
            return f"{v * 1000:.0f} ms" if abs(v) < 1 else f"{v:.2g} s"
        suffix = {"reqps": " req/s", "ops": " ops/s"}.get(unit, "")
        return f"{v:.3g}{suffix}"
    return FuncFormatter(fmt)


def timeseries_lines(panel, results, colours):
    """[(legend name, colour, values)] of a timeseries panel, in the order Grafana lists them."""
    out = []
    for target, lines in results:
        for labels in sorted(lines):
            name = promql.legend(target.get("legendFormat"), labels)
            out.append((name, colours.setdefault(name, PALETTE[len(colours) % len(PALETTE)]), lines[labels]))
    return out


def draw_timeseries(ax, panel, lines, times):
    unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit", "short")
    xs = [datetime.datetime.fromtimestamp(t, datetime.timezone.utc) for t in times]
    for name, colour, values in lines:
        ax.plot(xs, values, color=colour, linewidth=1.3, label=name)
        # a value between two gaps is a point (Grafana shows points where lines cannot be drawn)
        lone = [i for i, v in enumerate(values) if not math.isnan(v)
                and (i == 0 or math.isnan(values[i - 1])) and (i == len(values) - 1 or math.isnan(values[i + 1]))]
        ax.plot([xs[i] for i in lone], [values[i] for i in lone], "o", color=colour, markersize=2.5)
    ax.set_facecolor(PANEL)
    ax.grid(True, color=GRID, linewidth=0.6)
    ax.tick_params(colors=TEXT, labelsize=7)
    for s in ax.spines.values():
        s.set_visible(False)
    ax.xaxis.set_major_locator(mdates.SecondLocator(bysecond=[0, 30]))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M:%S", tz=datetime.timezone.utc))
    ax.yaxis.set_major_formatter(unit_formatter(unit))
    ax.set_xlim(xs[0], xs[-1])
    finite = [v for _, _, values in lines for v in values if math.isfinite(v)]
    if not finite or max(finite) <= 0 <= min(finite):
        ax.set_ylim(0, 1)  # all zero (or nothing): Grafana's default axis, 0 to 1
    elif min(finite) >= 0:
        ax.set_ylim(0, max(finite) * 1.05)
    if not lines:
        ax.text(0.5, 0.5, "No data", transform=ax.transAxes, ha="center", va="center", color=TEXT, fontsize=11)


def draw_stat(fig, rect, results):
    items = []
    for target, lines in results:
        for labels in sorted(lines):
            last = next((v for v in reversed(lines[labels]) if not math.isnan(v)), math.nan)
            items.append((promql.legend(target.get("legendFormat"), labels), last))
    if not items:
        fig.text(rect[0] + rect[2] / 2, rect[1] + rect[3] / 2, "No data", ha="center", color=TEXT)
        return
    x0, y0, w, h = rect
    for i, (name, value) in enumerate(items):
        cx = x0 + w * (i + 0.5) / len(items)
        # Grafana's default thresholds (fieldConfig.defaults has none): green, red from 80
        colour = "#73BF69" if math.isnan(value) or value < 80 else "#F2495C"
        shown = "No data" if math.isnan(value) else f"{value:g}"
        fig.text(cx, y0 + h * 0.45, shown, ha="center", va="center", color=colour, fontsize=30, weight="bold")
        fig.text(cx, y0 + h * 0.12, name, ha="center", va="center", color=TEXT, fontsize=9)


def render(dashboard_path, scrapes_path, out):
    dashboard = json.load(open(dashboard_path))
    scrapes, events = load_scrapes(scrapes_path)
    series = promql.Series(scrapes)
    stamps = [t for t, _ in series.scrapes]
    interval = (stamps[-1] - stamps[0]) / (len(stamps) - 1)
    # Grafana: max($__interval + scrape interval, 4 x scrape interval); $__interval = the step = the scrape interval
    rate_interval = max(2 * round(interval), 4 * round(interval))
    times = stamps
    variables = resolve_variables(dashboard, series, times, rate_interval)

    panels = dashboard["panels"]
    rows = max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in panels)
    header, unit_px, width_px = 115, 44, 1920
    height_px = header + rows * unit_px + 10
    fig = plt.figure(figsize=(width_px / 100, height_px / 100), dpi=100, facecolor=BG)
    first = datetime.datetime.fromtimestamp(stamps[0], datetime.timezone.utc)
    last = datetime.datetime.fromtimestamp(stamps[-1], datetime.timezone.utc)
    fig.text(0.006, 1 - 22 / height_px, dashboard["title"], color="#ffffff", fontsize=15, weight="bold", va="center")
    fig.text(0.006, 1 - 50 / height_px,
             "NOT rendered by Grafana: drawn by hack/dashboard/render.py from the dashboard JSON "
             "(helm/ecs-bridge/files/grafana-dashboard.json), each panel's PromQL evaluated over "
             f"{len(stamps)} real /metrics scrapes of the operator (every {interval:.0f} s, "
             f"{first:%Y-%m-%d %H:%M:%S}-{last:%H:%M:%S} UTC)",
             color="#FF9830", fontsize=9.5, va="center")
    happened = "; ".join(f"{datetime.datetime.fromtimestamp(t, datetime.timezone.utc):%H:%M:%S} {what}"
                         for t, what in events)
    fig.text(0.006, 1 - 68 / height_px,
             "The operator ran on `make run`'s local stack (kube-apiserver + etcd + moto, samples/app applied, all "
             "Ready at the start) through hack/dashboard/collect.py's scenario (UTC):", color=TEXT, fontsize=8.5,
             va="center")
    fig.text(0.006, 1 - 85 / height_px, "    " + (happened or "(no events recorded)"), color=TEXT, fontsize=8.5,
             va="center")
    fig.text(0.006, 1 - 102 / height_px,
             "Target labels added as Prometheus would: "
             + ", ".join(f'{k}="{v}"' for k, v in TARGET_LABELS.items())
             + f"; template variables at All; $__rate_interval = {rate_interval}s; time axis UTC.",
             color=TEXT, fontsize=8.5, va="center")
    colours = {}
    pad_x, pad_y = 6 / width_px, 6 / height_px
    for panel in sorted(panels, key=lambda p: (p["gridPos"]["y"], p["gridPos"]["x"])):
        g = panel["gridPos"]
        x = g["x"] / 24
        w = g["w"] / 24
        top = 1 - (header + g["y"] * unit_px) / height_px
        h = g["h"] * unit_px / height_px
        frame = fig.add_axes([x + pad_x / 2, top - h + pad_y / 2, w - pad_x, h - pad_y])
        frame.set_facecolor(PANEL)
        frame.set_xticks([])
        frame.set_yticks([])
        for s in frame.spines.values():
            s.set_color(GRID)
        frame.text(0.01, 1 - 14 / (g["h"] * unit_px), panel["title"], transform=frame.transAxes, color=TEXT,
                   fontsize=10, weight="bold", va="center")
        results = evaluate_panel(panel, variables, series, times)
        inner = [x + pad_x * 3, top - h + 26 / height_px, w - pad_x * 6, h - 56 / height_px]
        if panel["type"] == "stat":
            draw_stat(fig, inner, results)
        elif panel["type"] == "timeseries":
            # the legend below the graph, as Grafana's default (list), in as many columns as fit
            lines = timeseries_lines(panel, results, colours)
            longest = max((len(n) for n, _, _ in lines), default=1)
            ncol = max(1, min(len(lines), int(inner[2] * width_px / (longest * 4.4 + 30))))
            legend_px = 11 * math.ceil(len(lines) / max(ncol, 1)) + 4
            ax = fig.add_axes([inner[0] + 50 / width_px, inner[1] + (legend_px + 26) / height_px,
                               inner[2] - 50 / width_px, inner[3] - (legend_px + 26) / height_px])
            draw_timeseries(ax, panel, lines, times)
            if lines:
                fig.legend([plt.Line2D([], [], color=c, linewidth=2) for _, c, _ in lines], [n for n, _, _ in lines],
                           loc="upper left", bbox_to_anchor=(inner[0], inner[1] + legend_px / height_px),
                           ncol=ncol, fontsize=6.5, frameon=False, labelcolor=TEXT, handlelength=1.0,
                           borderaxespad=0, borderpad=0, labelspacing=0.25, columnspacing=1.0, handletextpad=0.4)
        else:
            raise SystemExit(f"panel {panel['title']}: type {panel['type']} is not drawn by this script")
    fig.savefig(out, facecolor=BG)
    print(f"[dashboard-png] {out}: {len(panels)} panels from {len(stamps)} scrapes")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scrapes")
    ap.add_argument("out")
    ap.add_argument("--dashboard", default=DASHBOARD)
    a = ap.parse_args()
    try:
        render(a.dashboard, a.scrapes, a.out)
    except promql.PromQLError as e:
        raise SystemExit(f"[dashboard-png] a dashboard query this evaluator cannot answer: {e}")


if __name__ == "__main__":
    sys.exit(main())
