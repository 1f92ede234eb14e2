#!/usr/bin/env python3
"""Business data for the restore drill (deploy/backup/restore-drill.sh), made through the gateway
by the demo users of deploy/local/demo_data.py (run first, by up.sh):

  drill_data.py GATEWAY_PORT USERS_FILE TAG ROUND CUSTOMERS DEALS

The rep 王小明 records CUSTOMERS customers named "演练<TAG>-<i>" (phones 177<ROUND:2><i:6>), and for
the first DEALS of them subscribes an available unit (one-off payment, 5 万元 deposit) that the
cashier's deposit receipt (receipt number BR<ROUND>-<i>) confirms: customers, subscriptions,
unit statuses and the finance ledger all change. Prints one line of what it made.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "local"))
import demo_data  # noqa: E402  (the demo's HTTP helpers and business steps)


class Drill(demo_data.Demo):
    def __init__(self, gateway, round_no):
        super().__init__(gateway)
        self.round_no = round_no

    def receipt_no(self):
        self.receipt_seq += 1
        return f"BR{self.round_no:02d}-{self.receipt_seq:03d}"


def main(argv):
    if len(argv) != 6:
        sys.exit(__doc__)
    gateway, users_file, tag = int(argv[0]), argv[1], argv[2]
    round_no, customers, deals = int(argv[3]), int(argv[4]), int(argv[5])
    started = time.monotonic()
    drill = Drill(gateway, round_no)
    wanted = {"wang.xiaoming": "rep1", "chen.jie": "cashier"}
    with open(users_file, encoding="utf-8") as f:
        for line in f:
            username, password, _roles, display = line.rstrip("\n").split("\t")
            if username in wanted:
                token = drill.login(username, password)["access_token"]
                drill.users[wanted[username]] = {"token": token, "username": username,
                                                 "display_name": display}
    projects = drill.do("rep1", "GET", "/api/v1/projects?limit=500")
    project_id = next(p["id"] for p in projects["items"] if p["code"] == demo_data.PROJECT["code"])
    board = drill.do("rep1", "GET", f"/api/v1/projects/{project_id}/board")
    available = [{"id": u["unit_id"], "unit_number": u["unit_number"]}
                 for b in board["buildings"] for fl in b["floors"] for u in fl["units"]
                 if u["status"] == "available"]
    if len(available) < deals:
        sys.exit(f"drill data: only {len(available)} available units for {deals} deals")
    ledger_fen = 0
    for i in range(customers):
        name = f"演练{tag}-{i + 1}"
        customer_id = drill.add_customer("rep1", project_id, {
            "name": name, "phone": f"177{round_no:02d}{i + 1:06d}", "channel": "visit",
            "type": "first_home", "gender": "female", "birth_year": 1991,
            "events": [(0, "visit", f"备份恢复演练 {tag}")]})
        if i < deals:
            sub = drill.subscribe("rep1", available[i], customer_id, "one_off", 5_000_000)
            drill.pay_deposit(sub, name)
            ledger_fen += sub["deposit_fen"]
    print(f"drill data {tag}: {customers} customers, {deals} subscriptions with deposit paid "
          f"(ledger +{ledger_fen} fen) in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
