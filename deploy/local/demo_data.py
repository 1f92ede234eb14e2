#!/usr/bin/env python3
"""Demo data for the local stack: project HX01 with two released buildings, two
subscriptions and a few customers, created through the services' HTTP APIs (never their
databases).

Runs once per data directory: when HX01 already exists it says so and changes nothing.
Usage: demo_data.py TOKEN INVENTORY_PORT [CONTRACT_PORT [CUSTOMER_PORT]]
"""
import datetime
import json
import sys
import time
import urllib.error
import urllib.request
import uuid


def call(port, method, path, token, body=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def must(result, *expected):
    status, body = result
    if status not in expected:
        sys.exit(f"demo data: unexpected HTTP {status}: {json.dumps(body, ensure_ascii=False)}")
    return body


def templates(positions, base_price_fen_per_m2):
    layouts = ["3室2厅2卫", "2室2厅1卫", "4室2厅2卫"]
    return [
        {
            "position": p,
            "floors": {"from": 2, "to": None},
            "layout": layouts[p % len(layouts)],
            "orientation": "south" if p <= positions // 2 else "north_south",
            "decoration": "bare",
            "internal_area_centi_m2": 8_500 + p * 450,
            "shared_area_centi_m2": 1_900,
            "list_unit_price_fen_per_m2": base_price_fen_per_m2,
            "floor_price_step_fen_per_m2": 8_000,
        }
        for p in range(1, positions + 1)
    ]


def main():
    token, inventory = sys.argv[1], int(sys.argv[2])
    contract = int(sys.argv[3]) if len(sys.argv) > 3 else None
    customer = int(sys.argv[4]) if len(sys.argv) > 4 else None
    status, project = call(inventory, "POST", "/api/v1/projects", token,
                           {"code": "HX01", "name": "华熙府一期", "city": "成都"})
    if status == 409:
        print("demo data: project HX01 already exists; left as it is")
        return
    must((status, project), 201)
    units = []
    for name, floors, positions, price in (("1栋", 18, 4, 1_650_000), ("2栋", 26, 6, 1_580_000)):
        building = must(call(inventory, "POST", f"/api/v1/projects/{project['id']}/buildings",
                             token, {"name": name, "floors": floors}), 201)
        body = {"templates": templates(positions, price)}
        for t in body["templates"]:
            t["floors"]["to"] = floors
        created = must(call(inventory, "POST", f"/api/v1/buildings/{building['id']}/units:bulk",
                            token, body), 201)
        must(call(inventory, "POST", "/api/v1/units:release", token,
                  {"building_id": building["id"]}), 200)
        units += [u["id"] for u in created["units"]]
    print(f"demo data: project HX01 with {len(units)} released units in 1栋 and 2栋")
    if contract is None:
        return
    signing = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    made = 0
    for unit_id in units[-2:]:
        body = {"unit_id": unit_id, "customer_id": str(uuid.uuid4()), "discount_fen": 0,
                "payment_plan": "mortgage", "deposit_fen": 5_000_000, "signing_deadline": signing}
        # The contract service learns the project from inventory's event; wait for it.
        deadline = time.monotonic() + 20
        while True:
            status, answer = call(contract, "POST", "/api/v1/subscriptions", token, body)
            if status != 503 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        must((status, answer), 201)
        made += 1
    print(f"demo data: {made} subscriptions awaiting deposit (deadline 12 h)")
    if customer is not None:
        add_customers(token, customer, project["id"])


def add_customers(token, port, project_id):
    people = [
        ("张伟", "138 1234 5678", "visit", "first_home", "visit", "首次来访，看 3 室"),
        ("李娜", "+86 139-8765-4321", "call", "upgrade", "call_in", "来电咨询学区"),
        ("王芳", "028-87654321", "referral", "investment", "visit", "老客户介绍"),
    ]
    made = 0
    for name, phone, channel, kind, first, note in people:
        body = {"project_id": project_id, "name": name, "phone": phone, "channel": channel,
                "type": kind, "first_event": {"kind": first, "note": note}}
        # The customer service learns the project from inventory's event; wait for it.
        deadline = time.monotonic() + 20
        while True:
            status, answer = call(port, "POST", "/api/v1/customers", token, body)
            if status not in (404, 503) or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        must((status, answer), 201)
        made += 1
    print(f"demo data: {made} customers (CUS-1), each with a first event")


if __name__ == "__main__":
    main()
