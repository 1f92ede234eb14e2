#!/usr/bin/env python3
"""Merges the opening_rush driver's JSON with pgbench's TPS and the machine's CPU figures from
tests/load/opening_rush.sh (passed as BENCH_* environment variables) into
bench-results/opening_rush-<UTC>.json and the summary .txt, and prints the summary.

Usage: opening_rush_report.py DRIVER_JSON OUT_JSON OUT_TXT
"""
import json
import os
import sys

SERVICES = ["gateway", "inventory", "contract", "customer", "finance"]
DATABASES = [f"sales_{s}" for s in SERVICES]
PROCESSES = SERVICES + ["nats", "postgres", "driver"]


def cpu_split(name, tck):
    """From BENCH_CPU-style "busy ours interrupts|busy ours interrupts" (clock ticks): CPU
    seconds of the machine (busy), of our processes, of other programs and of interrupts."""
    before, after = ([float(x) for x in part.split()] for part in os.environ[name].split("|"))
    busy, ours, interrupts = ((b - a) / tck for a, b in zip(before, after))
    return {"busy_cpu_seconds": round(busy + interrupts, 2), "ours_cpu_seconds": round(ours, 2),
            "interrupts_cpu_seconds": round(interrupts, 2),
            "other_processes_cpu_seconds": round(max(0.0, busy - ours), 2)}


def main(driver_json, json_out, txt_out):
    r = json.load(open(driver_json))
    tck = int(os.environ["BENCH_CLK_TCK"])
    tps = float(os.environ["BENCH_TPS"])
    clients = int(os.environ["BENCH_CLIENTS"])
    pgbench_seconds = int(os.environ["BENCH_PGBENCH_SECONDS"])
    pg_latency = os.environ.get("BENCH_PG_LATENCY") or None
    driver_seconds = float(os.environ["BENCH_DRIVER_SECONDS"])
    load_before, load_after = os.environ["BENCH_LOAD"].split("|")
    threads = r["config"]["hardware_threads"]

    r["environment"] = {
        "hardware_threads": threads,
        "cpu_model": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
                           if l.startswith("model name")), "?"),
        "build_type": os.environ.get("BENCH_BUILD_TYPE", ""),
        "postgres_fsync": os.environ.get("SALES_PG_FSYNC", "on"),
        "configuration": "deploy/local/up.sh defaults (no SALES_* setting but ports)",
        "load_average_before": load_before,
        "load_average_after": load_after,
    }
    r["machine_during_driver"] = {"seconds": driver_seconds, **cpu_split("BENCH_CPU", tck)}
    r["pgbench"] = {
        "transaction": "BEGIN; UPDATE bench_units (1 row by primary key); INSERT INTO bench_history; END",
        "clients": clients, "threads": 1 if clients < 2 else 2, "seconds": pgbench_seconds,
        "rows": r["config"]["units"], "protocol": "prepared", "tps": tps,
        "latency_average_ms": float(pg_latency) if pg_latency else None,
        "other_processes_cpu_seconds":
            cpu_split("BENCH_PGBENCH_CPU", tck)["other_processes_cpu_seconds"],
    }
    run = r["run"]
    r["ratio"] = {
        "requests_per_second_over_pgbench_tps": round(run["requests_per_second"] / tps, 4),
        "successes_per_second_over_pgbench_tps": round(run["successes_per_second"] / tps, 4),
    }
    r["driver_exit_code"] = int(os.environ.get("BENCH_DRIVER_RC", "0"))
    json.dump(r, open(json_out, "w"), indent=2, ensure_ascii=False)

    def statuses(p):
        return (f"201 {p['status_201']}  409 {p['status_409']}  429 {p['status_429']}  "
                f"5xx {p['status_5xx']}  other {p['status_other']}")

    def latency(p):
        lat = p["latency_ms"]
        return f"p50 {lat['p50']}  p95 {lat['p95']}  p99 {lat['p99']}  max {lat['max']}"

    def commits(p, key):
        c = p["commits"]
        parts = [f"{db[6:]} {c[db][key]}" for db in DATABASES if db in c]
        return "  ".join(parts) + f"  | all {c['all'][key]}"

    def cpu(p):
        c = p["cpu_ms_per_request"]
        return "  ".join(f"{name} {c[name]}" for name in PROCESSES if name in c) + \
            f"  | all {c['all_measured']}"

    env, setup, chk = r["environment"], r["setup"], r["check"]
    lines = [
        f"opening_rush {r['started_at']}  ({threads} hardware threads, {env['cpu_model']}, "
        f"{env['build_type']}, fsync {env['postgres_fsync']}; load average before "
        f"{env['load_average_before']}, after {env['load_average_after']})",
        f"product: deploy/local/up.sh defaults; every request through the gateway "
        f"{r['config']['gateway']} from 127.0.0.1",
        f"set-up: project {setup['project_code']} {setup['units_released']} units released; "
        f"{setup['reps']} sales-rep accounts (one login each), {setup['customers']} customers; "
        f"{setup['setup_seconds']} s ({setup['setup_retries_after_429_or_busy']} set-up calls "
        f"retried after 429/busy)",
        f"rush: {r['config']['buyers']} buyers, concurrency {r['config']['concurrency']}, "
        f"{r['config']['popular']} popular units",
        f"  requests/s         {run['requests_per_second']}  ({run['requests']} in {run['wall_seconds']} s)",
        f"  statuses           {statuses(run)}",
        f"  latency ms         {latency(run)}",
        f"  outcomes           {json.dumps(run['outcomes'], ensure_ascii=False)}",
        f"  commits/request    {commits(run, 'per_request')}",
        f"  CPU ms/request     {cpu(run)}",
        f"oversold_units: {chk['oversold_units']}",
        f"mismatches: {chk['mismatches']}",
        f"pgbench tps          {tps} (UPDATE+INSERT, {clients} clients, {pgbench_seconds} s, prepared)",
        f"ratio req/s / tps    {r['ratio']['requests_per_second_over_pgbench_tps']}",
        f"ratio 201/s / tps    {r['ratio']['successes_per_second_over_pgbench_tps']}",
    ]
    ref = r.get("refusals")
    if ref:
        lines += [
            f"refusals only: {ref['requests']} requests for the {ref['units_targeted']} units the "
            f"rush sold",
            f"  requests/s         {ref['requests_per_second']}",
            f"  statuses           {statuses(ref)}",
            f"  latency ms         {latency(ref)}",
            f"  commits/request    {commits(ref, 'per_request')}",
            f"  commits/409        {commits(ref, 'per_409')}",
            f"  CPU ms/request     {cpu(ref)}",
        ]
    else:
        lines.append("refusals only: not run (the rush sold nothing, or --refusals 0)")
    m = r["machine_during_driver"]
    lines.append(f"machine during the driver ({m['seconds']} s, {threads} threads): busy "
                 f"{m['busy_cpu_seconds']} CPU s = ours {m['ours_cpu_seconds']} + other programs "
                 f"{m['other_processes_cpu_seconds']} + interrupts {m['interrupts_cpu_seconds']}")
    lines.append("background commits/s " + "  ".join(
        f"{db[6:]} {v}" for db, v in r["background_commits_per_second"].items()) +
        " (subtracted from the phases' commits)")

    capacity = driver_seconds * threads
    other = r["machine_during_driver"]["other_processes_cpu_seconds"]
    if capacity and other > 0.1 * capacity:
        lines.append(f"!!! other processes used {other} CPU s during the driver "
                     f"({round(100 * other / capacity)}% of the machine): figures are distorted")
    pg_other, pg_capacity = r["pgbench"]["other_processes_cpu_seconds"], pgbench_seconds * threads
    if pg_other > 0.1 * pg_capacity:
        lines.append(f"!!! other processes used {pg_other} CPU s during pgbench "
                     f"({round(100 * pg_other / pg_capacity)}% of the machine): its TPS is distorted")
    if not chk["ok"]:
        lines.append("!!! CONSISTENCY FAILURE: " + json.dumps(chk["details"], ensure_ascii=False))
    for name, p in (("rush", run), ("refusals", ref)):
        if p and p["status_5xx"] + p["status_other"]:
            lines.append(f"!!! {name}: {p['status_5xx'] + p['status_other']} requests ended in 5xx "
                         f"or another error; samples: "
                         + json.dumps(p["unexpected_samples"], ensure_ascii=False))
    open(txt_out, "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
