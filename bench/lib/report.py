#!/usr/bin/env python3
"""bench/run.sh's report (markdown) from its results.

usage: report.py ENV_TXT [--load results.tsv] [--slow slowstreams.tsv]

Load table, per case and connection count:
  req/s, p50/p90/p99 ms    wrk (closed loop, time to the last byte)
  errors                   connect + read + write + timeout + non-2xx
  CPU ms/req               user+system CPU of the target's own process group / requests
  peak RSS MB              largest resident memory of the target's process group, sampled every 0.2 s
  ×nginx, ×litellm         the row's value over the nginx / LiteLLM row of the same cell
                           (req/s: higher is better; p50 and CPU: lower is better)
  foreign CPU %            CPU used during the cell by processes this run did not start (noise flag)
Added latency: p50 and p99 at 1 connection minus the direct (mock only) row of the same case.
"""
import argparse
import csv


def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def fmt(x, nd=2):
    if x is None:
        return "n/a"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{nd}f}"


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def rows_of(path):
    with open(path) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def table(head, rows):
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def load_section(rows):
    cells = {}
    for r in rows:
        cells.setdefault((r["case"], int(r["conns"])), []).append(r)
    # The cells run connections-outermost (see run.sh); the tables read case by case.
    order = ["nonstream", "stream", "anthropic", "anthropic-stream"]
    cells = dict(sorted(cells.items(), key=lambda kv: (order.index(kv[0][0]) if kv[0][0] in order else len(order), kv[0][1])))
    head = ["case", "conns", "target", "req/s", "p50 ms", "p90 ms", "p99 ms", "errors", "CPU ms/req",
            "peak RSS MB", "req/s ×nginx", "req/s ×litellm", "p50 ×nginx", "p50 ×litellm",
            "CPU ×nginx", "CPU ×litellm", "foreign CPU %"]
    out = []
    for (case, conns), rs in cells.items():
        by = {r["target"]: r for r in rs}
        ng, ll = by.get("nginx"), by.get("litellm")
        for r in rs:
            rps, p50, cpu = num(r["rps"]), num(r["p50_ms"]), num(r["cpu_ms_per_req"])

            def rel(base, key, value):
                return fmt(ratio(value, num(base[key])) if base else None, 3)
            out.append([case, str(conns), r["target"], fmt(rps, 0), fmt(p50, 3), fmt(num(r["p90_ms"]), 3),
                        fmt(num(r["p99_ms"]), 3), r["errors"], r["cpu_ms_per_req"], r["peak_rss_mb"],
                        rel(ng, "rps", rps), rel(ll, "rps", rps), rel(ng, "p50_ms", p50), rel(ll, "p50_ms", p50),
                        rel(ng, "cpu_ms_per_req", cpu), rel(ll, "cpu_ms_per_req", cpu), r["foreign_cpu_pct"]])
    text = ["## Load (wrk, closed loop)", "", table(head, out), ""]

    translated = []
    for (case, conns), rs in cells.items():
        plain_case = {"anthropic": "nonstream", "anthropic-stream": "stream"}.get(case)
        if not plain_case:
            continue
        by = {r["target"]: r for r in rs}
        plain = {r["target"]: r for r in cells.get((plain_case, conns), [])}
        for target, r in by.items():
            p = plain.get(target)
            translated.append([case, str(conns), target, fmt(num(r["rps"]), 0), fmt(num(p["rps"]), 0) if p else "n/a",
                               fmt(ratio(num(p["rps"]), num(r["rps"])) if p else None, 3),
                               r["cpu_ms_per_req"], p["cpu_ms_per_req"] if p else "n/a",
                               fmt(ratio(num(r["cpu_ms_per_req"]), num(p["cpu_ms_per_req"])) if p else None, 3)])
    if translated:
        text += ["## Translated to Anthropic, against the plain OpenAI case", "",
                 "An OpenAI request answered by an `anthropic/` deployment (request and answer translated) "
                 "next to the same request forwarded to an OpenAI deployment; the target is within 1.5.", "",
                 table(["case", "conns", "target", "req/s", "plain req/s", "plain ÷ translated req/s",
                        "CPU ms/req", "plain CPU ms/req", "CPU translated ÷ plain"], translated), ""]

    added = []
    for (case, conns), rs in cells.items():
        if conns != 1:
            continue
        by = {r["target"]: r for r in rs}
        d = by.get("direct")
        for r in rs:
            if r["target"] == "direct":
                continue
            p50, p99 = num(r["p50_ms"]), num(r["p99_ms"])
            dp50, dp99 = (num(d["p50_ms"]), num(d["p99_ms"])) if d else (None, None)
            added.append([case, r["target"], fmt(p50, 3), fmt(None if dp50 is None else p50 - dp50, 3),
                          fmt(num(r["p99_ms"]), 3), fmt(None if dp99 is None else p99 - dp99, 3)])
    if added:
        text += ["## Added latency at 1 connection (over direct: the mock alone)", "",
                 table(["case", "target", "p50 ms", "+p50 ms", "p99 ms", "+p99 ms"], added), ""]
        if not any(r["target"] == "direct" for rs in cells.values() for r in rs):
            text += ["(no `direct` target in this run: nothing to subtract)", ""]
    return text


def slow_section(rows):
    head = ["target", "streams", "completed", "failed", "wall s", "open at once (peak)", "first byte p50 / p99 ms",
            "stream p50 / p99 / max ms", "peak RSS MB", "RSS before MB", "CPU s", "client", "failures"]
    out = [[r["target"], r["streams"], r["completed"], r["failed"], r["wall_s"], r["open_peak"],
            f'{r["first_byte_p50_ms"]} / {r["first_byte_p99_ms"]}',
            f'{r["stream_p50_ms"]} / {r["stream_p99_ms"]} / {r["stream_max_ms"]}',
            r["peak_rss_mb"], r["rss_before_mb"], r["cpu_s"], r["client"], r["failures"]] for r in rows]
    return ["## Concurrent streams against a slow upstream", "",
            "All streams opened at the same moment, one connection each; the upstream "
            "(`switchyard mock-upstream`) sends every event after a pause. A stream completes when it "
            "is a 200 ending in `data: [DONE]` with the whole echoed text. `direct` is the slow mock "
            "alone; RSS and CPU are the target's process group.", "",
            table(head, out), ""]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("env")
    ap.add_argument("--load")
    ap.add_argument("--slow")
    a = ap.parse_args()
    with open(a.env) as f:
        env = f.read().strip()
    date = next((line.split(": ", 1)[1] for line in env.splitlines() if line.startswith("date_utc:")), "")
    text = [f"# Switchyard load benchmark, {date}", "", "```", env, "```", ""]
    if a.load:
        text += load_section(rows_of(a.load))
    if a.slow:
        text += slow_section(rows_of(a.slow))
    text += ["Rows of one run compare; runs on a shared 2-core machine vary by 15–25 %. "
             "A non-zero foreign CPU % marks a noisy cell. Raw wrk output, samples, configs and "
             "server logs are beside this file.", ""]
    print("\n".join(text))


if __name__ == "__main__":
    main()
