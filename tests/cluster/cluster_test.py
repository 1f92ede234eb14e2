#!/usr/bin/env python3
"""The cluster test's driver (run it with tests/cluster/cluster_test.sh): against the compose
deployment (deploy/compose) through its load balancer, with the demo users of
deploy/local/demo_data.py:

 1. the one-unit race: RACERS buyers subscribe the same unit at once; exactly one may win;
 2. the saga under load: WORKERS offices run DEALS deals (customer → subscription → deposit →
    signing → four audits → stamp → full payment → handover eligible) while
      - one NATS node is killed with SIGKILL (and restarted by podman), then
      - one replica of every service is killed with SIGKILL at once (restarted by podman);
    each kill's time until the container is back and ready is measured;
 3. once every outbox is sent and every consumer has caught up, the books are checked:
      - no unit has more than one live subscription or contract (oversold units = 0);
      - every contract.signed has exactly one finance schedule (one finance.schedule.created);
      - every finance.contract.cleared made its contract eligible exactly once;
      - per durable consumer: the events its service applied (inbox) are exactly the events the
        producing service published (outbox) on the consumer's subjects; no dead letters.
Deals that fail because a request met a killed replica are counted, not hidden. Figures go to
stdout and --out (JSON). Exit code 1 when a check fails.
"""
import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                "deploy", "local"))
import demo_data  # noqa: E402  (HTTP helpers and the office's business steps)

SERVICES = ["inventory", "contract", "customer", "finance", "reporting", "webhooks", "gateway"]
PORTS = {"gateway": 8080, "inventory": 8081, "contract": 8082, "customer": 8083,
         "finance": 8084, "reporting": 8085, "webhooks": 8086}
PRODUCER_OF_STREAM = {"IDENTITY": "gateway", **{s.upper(): s for s in SERVICES if s != "gateway"}}
ROLE_OF_USER = {"wang.xiaoming": "rep1", "li.jing": "rep2", "zhao.min": "sales_control",
                "sun.li": "sales_supervisor", "zhou.qiang": "sales_manager", "chen.jie": "cashier",
                "wu.fang": "finance_supervisor", "zheng.hao": "finance_director", "liu.yang": "gm",
                "ma.lin": "handover_clerk"}


class Office(demo_data.Demo):
    """One sales office's session (its own receipt numbers, so offices never collide)."""

    def __init__(self, gateway, tokens, tag):
        super().__init__(gateway)
        self.users = tokens
        self.tag = tag

    def receipt_no(self):
        self.receipt_seq += 1
        return f"CL{self.tag}-{self.receipt_seq:04d}"


class Podman:
    def __init__(self, project):
        self.project = project

    def container(self, service, n=1):
        return f"{self.project}_{service}_{n}"

    def inspect(self, name, template):
        return subprocess.run(["podman", "inspect", "-f", template, name], capture_output=True,
                              text=True, check=False).stdout.strip()

    def address(self, name):
        return self.inspect(name, "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}")

    def sql(self, database, query):
        out = subprocess.run(["podman", "exec", self.container("postgres"), "psql", "-d", database,
                              "-qAt", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", query],
                             capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise RuntimeError(f"psql {database}: {out.stderr.strip()}")
        return [line.split("\t") for line in out.stdout.splitlines() if line]

    def kill_and_time(self, name, ready_path, port, timeout=60):
        """SIGKILL the container's process; seconds until podman has it running again and it
        answers ready_path with 200."""
        pid = self.inspect(name, "{{.State.Pid}}")
        started = time.monotonic()
        subprocess.run(["kill", "-9", pid], check=True)
        while time.monotonic() - started < timeout:
            now_pid = self.inspect(name, "{{.State.Pid}}")
            if now_pid not in ("", "0", pid) and http_ok(f"http://{self.address(name)}:{port}{ready_path}"):
                return round(time.monotonic() - started, 3)
            time.sleep(0.05)
        raise RuntimeError(f"{name} not back within {timeout} s")


def http_ok(url):
    try:
        with urllib.request.urlopen(url, timeout=1) as answer:
            return answer.status == 200
    except Exception:  # noqa: BLE001 - not (yet) answering is the expected state here
        return False


def http_json(url):
    with urllib.request.urlopen(url, timeout=5) as answer:
        return json.loads(answer.read())


def log(message):
    print(f"cluster: {message}", flush=True)


def login_all(port, users_file):
    tokens = {}
    with open(users_file, encoding="utf-8") as f:
        for line in f:
            username, password, _roles, _display = line.rstrip("\n").split("\t")
            if username in ROLE_OF_USER:
                answer = demo_data.Demo(port).login(username, password)
                tokens[ROLE_OF_USER[username]] = {"token": answer["access_token"]}
    return tokens


def available_units(office, project_id):
    board = office.do("rep1", "GET", f"/api/v1/projects/{project_id}/board")
    return [{"id": u["unit_id"], "unit_number": u["unit_number"]}
            for b in board["buildings"] for fl in b["floors"] for u in fl["units"]
            if u["status"] == "available"]


def new_customer(office, project_id, rep, tag, i):
    return office.add_customer(rep, project_id, {
        "name": f"集群{tag}-{i}", "phone": f"166{tag:02d}{i:06d}", "channel": "visit",
        "type": "first_home", "gender": "male", "birth_year": 1988,
        "events": [(0, "visit", "集群测试")]})


def one_unit_race(office, project_id, unit, racers):
    customers = [new_customer(office, project_id, "rep1", 90, i) for i in range(racers)]
    barrier = threading.Barrier(racers)
    body = lambda c: {"unit_id": unit["id"], "customer_id": c, "payment_plan": "one_off",  # noqa: E731
                      "deposit_fen": 5_000_000, "signing_deadline": demo_data.day(20)}

    def attempt(customer_id):
        barrier.wait()
        return office.call("rep1", "POST", "/api/v1/subscriptions", body(customer_id))[0]
    with concurrent.futures.ThreadPoolExecutor(racers) as pool:
        statuses = list(pool.map(attempt, customers))
    return {"racers": racers, "created": statuses.count(201), "refused_409": statuses.count(409),
            "other": sorted(s for s in statuses if s not in (201, 409))}


def run_deal(office, project_id, unit, i, progress):
    """One deal to full payment; returns None or the reason it stopped."""
    try:
        customer_id = new_customer(office, project_id, "rep1", 10 + int(office.tag), i)
        sub = office.subscribe("rep1", unit, customer_id, "one_off", 5_000_000)
        sub = office.pay_deposit(sub, f"集群客户{i}")
        contract = office.sign("rep1", sub, {"kind": "one_off", "due_date": demo_data.day(3)})
        office.audit(contract, ["sales_supervisor", "sales_manager", "finance_supervisor",
                                "finance_director"])
        office.do("gm", "POST", f"/api/v1/contracts/{contract['id']}/stamp",
                  {"stamped_on": demo_data.day(0), "stamp_no": f"CL-{office.tag}-{i}"})
        office.pay({"contract_id": contract["id"]}, "instalment", "transfer", f"集群客户{i}",
                   sub["price_fen"] - 5_000_000)
        return None
    except SystemExit as stopped:  # demo_data.fail: an unexpected answer, e.g. during a kill
        return str(stopped).splitlines()[0][:300]
    finally:
        progress.release()


def quiesce(podman, timeout=120):
    """Waits until every outbox is sent and every durable consumer has nothing pending."""
    deadline = time.monotonic() + timeout
    while True:
        unsent = {s: int(podman.sql(f"sales_{s}", "SELECT count(*) FROM outbox WHERE sent_at IS NULL")[0][0])
                  for s in SERVICES}
        consumers = consumer_states(podman)
        pending = {c["name"]: c["num_pending"] + c["num_ack_pending"] for c in consumers
                   if c["num_pending"] + c["num_ack_pending"] > 0}
        if not any(unsent.values()) and not pending:
            return consumers
        if time.monotonic() > deadline:
            raise RuntimeError(f"not quiet after {timeout} s: unsent {unsent}, pending {pending}")
        time.sleep(0.5)


def consumer_states(podman):
    """Every durable consumer as its current leader reports it (a follower's figures lag)."""
    out = {}
    for n in (1, 2, 3):
        base = f"http://{podman.address(podman.container(f'nats-{n}'))}:8222"
        name = http_json(f"{base}/varz")["server_name"]
        jsz = http_json(f"{base}/jsz?consumers=true&config=true")
        for account in jsz.get("account_details", []):
            for stream in account.get("stream_detail", []):
                for c in stream.get("consumer_detail", []) or []:
                    if c.get("cluster", {}).get("leader") != name:
                        continue
                    out[c["name"]] = {"stream": stream["name"], "name": c["name"],
                                      "filter": c.get("config", {}).get("filter_subject", ""),
                                      "num_pending": c.get("num_pending", 0),
                                      "num_ack_pending": c.get("num_ack_pending", 0),
                                      "redelivered": c.get("num_redelivered", 0)}
    return sorted(out.values(), key=lambda c: c["name"])


def check_books(podman, consumers):
    checks = {}
    # Oversold: a unit with two live subscriptions (CON-1), or two contracts not cancelled.
    checks["oversold_units"] = len(podman.sql("sales_contract", """
        SELECT unit_id FROM subscriptions WHERE status <> 'cancelled' GROUP BY unit_id
        HAVING count(*) > 1
        UNION SELECT unit_id FROM contracts WHERE status <> 'cancelled' GROUP BY unit_id
        HAVING count(*) > 1"""))
    signed = {r[0] for r in podman.sql("sales_contract", """
        SELECT (payload::jsonb)->'data'->>'contract_id' FROM outbox WHERE subject = 'contract.signed'""")}
    schedules = {}
    for contract_id, n in podman.sql("sales_finance", """
            SELECT (payload::jsonb)->'data'->>'contract_id', count(*) FROM outbox
            WHERE subject = 'finance.schedule.created' GROUP BY 1"""):
        schedules[contract_id] = int(n)
    with_items = {r[0] for r in podman.sql("sales_finance",
                                           "SELECT DISTINCT contract_id::text FROM schedule_items")}
    checks["contracts_signed"] = len(signed)
    checks["signed_without_one_schedule"] = sum(
        1 for c in signed if schedules.get(c) != 1 or c not in with_items)
    checks["schedules_without_signing"] = len(set(schedules) - signed)
    cleared = {}
    for contract_id, n in podman.sql("sales_finance", """
            SELECT (payload::jsonb)->'data'->>'contract_id', count(*) FROM outbox
            WHERE subject = 'finance.contract.cleared' GROUP BY 1"""):
        cleared[contract_id] = int(n)
    eligible = {}
    for contract_id, n in podman.sql("sales_contract", """
            SELECT (payload::jsonb)->'data'->>'contract_id', count(*) FROM outbox
            WHERE subject = 'contract.handover.eligible' GROUP BY 1"""):
        eligible[contract_id] = int(n)
    checks["contracts_cleared"] = len(cleared)
    checks["cleared_not_eligible_exactly_once"] = sum(1 for c in cleared if eligible.get(c) != 1)
    checks["eligible_without_clearance"] = len(set(eligible) - set(cleared))
    # Per durable consumer: applied (inbox) = published (outbox) on its subjects.
    per_consumer = []
    for c in consumers:
        consumer_service = c["name"].split("_", 1)[0]
        producer = PRODUCER_OF_STREAM.get(c["stream"])
        if consumer_service not in SERVICES or producer is None:
            continue
        pattern = (c["filter"] or c["stream"].lower() + ".>").replace(">", "%").replace("*", "%")
        query = f"SELECT event_id::text FROM {{table}} WHERE subject LIKE '{pattern}'"
        published = {r[0] for r in podman.sql(f"sales_{producer}", query.format(table="outbox"))}
        applied = {r[0] for r in podman.sql(f"sales_{consumer_service}", query.format(table="inbox"))}
        per_consumer.append({"consumer": c["name"], "published": len(published),
                             "applied": len(applied), "missing": len(published - applied),
                             "unknown": len(applied - published), "redelivered": c["redelivered"]})
    checks["consumers"] = per_consumer
    checks["consumers_not_matching"] = sum(1 for c in per_consumer if c["missing"] or c["unknown"])
    checks["dead_letters"] = sum(int(podman.sql(f"sales_{s}", "SELECT count(*) FROM dead_letter")[0][0])
                                 for s in SERVICES)
    return checks


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--project", required=True, help="the compose project name")
    parser.add_argument("--users-file", required=True)
    parser.add_argument("--deals", type=int, default=40)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--racers", type=int, default=16)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    podman = Podman(args.project)
    results = {"deals_wanted": args.deals, "workers": args.workers}
    started = time.monotonic()

    tokens = login_all(args.port, args.users_file)
    office = Office(args.port, tokens, "0")
    projects = office.do("rep1", "GET", "/api/v1/projects?limit=500")
    project_id = next(p["id"] for p in projects["items"] if p["code"] == demo_data.PROJECT["code"])
    units = available_units(office, project_id)
    if len(units) < args.deals + 1:
        sys.exit(f"cluster: {len(units)} available units for {args.deals} deals and the race")

    results["race"] = one_unit_race(office, project_id, units[0], args.racers)
    log(f"one-unit race: {results['race']}")

    progress = threading.Semaphore(0)
    failures = []
    offices = [Office(args.port, tokens, str(w + 1)) for w in range(args.workers)]
    deals_started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(args.workers) as pool:
        futures = [pool.submit(run_deal, offices[i % args.workers], project_id, units[i + 1], i,
                               progress) for i in range(args.deals)]
        for _ in range(max(1, args.deals // 4)):
            progress.acquire()
        results["nats_node_back_s"] = podman.kill_and_time(podman.container("nats-2"), "/healthz", 8222)
        log(f"nats-2 killed with SIGKILL: back and healthy in {results['nats_node_back_s']} s")
        for _ in range(max(1, args.deals // 4)):
            progress.acquire()
        with concurrent.futures.ThreadPoolExecutor(len(SERVICES)) as killers:
            back = dict(zip(SERVICES, killers.map(
                lambda s: podman.kill_and_time(podman.container(s, 1), "/readyz", PORTS[s]),
                SERVICES)))
        results["replica_back_s"] = back
        log(f"one replica of each service killed with SIGKILL at once; back and ready in {back}")
        for f in futures:
            reason = f.result()
            if reason:
                failures.append(reason)
    results["deals_seconds"] = round(time.monotonic() - deals_started, 1)
    results["deals_completed"] = args.deals - len(failures)
    results["deals_failed"] = len(failures)
    results["failures"] = failures[:10]
    log(f"{results['deals_completed']} of {args.deals} deals paid in full in "
        f"{results['deals_seconds']} s; {len(failures)} stopped by a kill")
    for reason in failures[:5]:
        log(f"  stopped: {reason}")

    quiet_started = time.monotonic()
    consumers = quiesce(podman)
    results["quiet_after_s"] = round(time.monotonic() - quiet_started, 1)
    results["checks"] = check_books(podman, consumers)
    results["seconds"] = round(time.monotonic() - started, 1)
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(results, out, ensure_ascii=False, indent=2)
    c = results["checks"]
    log(f"books: oversold units {c['oversold_units']}; {c['contracts_signed']} contracts signed, "
        f"{c['signed_without_one_schedule']} without exactly one schedule; {c['contracts_cleared']} "
        f"cleared, {c['cleared_not_eligible_exactly_once']} not eligible exactly once; "
        f"{len(c['consumers'])} consumers, {c['consumers_not_matching']} with outbox ≠ inbox; "
        f"{c['dead_letters']} dead letters")
    problems = []
    race = results["race"]
    if race["created"] != 1 or race["refused_409"] != args.racers - 1:
        problems.append(f"one-unit race: {race}")
    for key in ("oversold_units", "signed_without_one_schedule", "schedules_without_signing",
                "cleared_not_eligible_exactly_once", "eligible_without_clearance",
                "consumers_not_matching", "dead_letters"):
        if c[key]:
            problems.append(f"{key} = {c[key]}")
    if results["deals_completed"] < args.deals // 2:
        problems.append(f"only {results['deals_completed']} of {args.deals} deals completed: "
                        f"{failures[:3]}")
    if c["contracts_cleared"] < results["deals_completed"]:
        problems.append(f"{results['deals_completed']} deals paid but {c['contracts_cleared']} cleared")
    for problem in problems:
        log(f"FAILED: {problem}")
    log(f"results in {args.out} ({results['seconds']} s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
