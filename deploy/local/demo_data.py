#!/usr/bin/env python3
"""Demo data for the local stack, created through the HTTP APIs (never the databases), so that
every screen of the web console shows something real.

Full demo (what up.sh runs when every service is there), through the gateway only:
  demo_data.py TOKEN INVENTORY_PORT --gateway PORT --admin-password-file FILE --users-file FILE
  1. the real `admin` (its password file) creates project HX01 and one demo user per role,
     assigned to HX01, with Chinese display names; each demo user logs in with its initial
     password and changes it to the demo password (one random password per data directory),
     written with usernames and roles to the users file (mode 600, lines
     `username<TAB>password<TAB>roles<TAB>display name`; the browser tests read it);
  2. the demo users do the office's work under their own accounts: the operator sets up the
     buildings and a price list (approved by the finance supervisor), sales control releases
     them and withdraws two units, the sales manager reserves one, both reps record customers
     and follow-ups (one collision, one complaint, one stale customer), subscriptions in every
     state (awaiting deposit, deposit paid, cancellation requested, signed and in audit, fully
     audited and stamped and registered, fully paid and eligible for handover), the cashier's
     receipts of today and one red-ink reversal.
Minimal demo (some service missing): TOKEN INVENTORY_PORT [CONTRACT_PORT [CUSTOMER_PORT]] with
the minted admin token on the services' own ports: HX01 with two released buildings, two
subscriptions and three customers.

Runs once per data directory: when HX01 already exists it says so and changes nothing. Every
step must succeed, otherwise it stops with the server's message.
"""
import datetime
import json
import os
import secrets
import string
import sys
import time
import urllib.error
import urllib.request
import uuid

try:
    from zoneinfo import ZoneInfo
    SHANGHAI = ZoneInfo("Asia/Shanghai")
except Exception:  # pragma: no cover - no tz database: Asia/Shanghai has no DST
    SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))

PROJECT = {"code": "HX01", "name": "华熙府一期", "city": "成都"}


# --- HTTP -----------------------------------------------------------------------------------

def request(port, method, path, token=None, body=None, deadline_s=30):
    """One call; 429 and 503 busy answers are retried after Retry-After (the gateway's rate
    limits and login throttles refuse before doing anything, so a retry is safe)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    deadline = time.monotonic() + deadline_s
    while True:
        req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, data=data,
                                     headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                status, raw, retry = response.status, response.read(), None
        except urllib.error.HTTPError as error:
            status, raw, retry = error.code, error.read(), error.headers.get("Retry-After")
        try:
            answer = json.loads(raw or b"null")
        except ValueError:
            answer = {"raw": raw[:200].decode(errors="replace")}
        code = (answer or {}).get("error", {}).get("code") if isinstance(answer, dict) else None
        busy = status == 429 or (status == 503 and code in ("busy", "login_busy",
                                                             "too_many_connections"))
        if busy and time.monotonic() < deadline:
            time.sleep(min(float(retry or 1), 5.0))
            continue
        return status, answer


def fail(what, status, body):
    sys.exit(f"demo data: {what}: HTTP {status}: {json.dumps(body, ensure_ascii=False)}\n"
             f"demo data: stopped half way; start over with deploy/local/down.sh --clean")


def must(result, *expected, what="unexpected answer"):
    status, body = result
    if status not in expected:
        fail(what, status, body)
    return body


def error_code(body):
    return body.get("error", {}).get("code") if isinstance(body, dict) else None


def until(what, attempt, seconds=30):
    """Polls attempt() -> (done, result) until done, for what the saga propagates by events."""
    deadline = time.monotonic() + seconds
    while True:
        done, result = attempt()
        if done:
            return result
        if time.monotonic() > deadline:
            fail(f"{what} (waited {seconds} s)", *result)
        time.sleep(0.2)


# --- time -------------------------------------------------------------------------------------

def now_utc():
    return datetime.datetime.now(datetime.timezone.utc)


def today():
    return datetime.datetime.now(SHANGHAI).date()


def day(offset):
    return (today() + datetime.timedelta(days=offset)).isoformat()


def rfc3339(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def days_ago(days, hour=10, minute=30):
    """A moment `days` ago at hh:mm Shanghai time (a few minutes ago for today)."""
    if days == 0:
        return rfc3339(now_utc() - datetime.timedelta(minutes=5))
    local = datetime.datetime.combine(today() - datetime.timedelta(days=days),
                                      datetime.time(hour, minute), SHANGHAI)
    return rfc3339(local)


# --- building templates -------------------------------------------------------------------------

LAYOUTS = ["3室2厅2卫", "2室2厅1卫", "4室2厅2卫"]


def templates(positions, floors, base_price_fen_per_m2):
    return [
        {
            "position": p,
            "floors": {"from": 2, "to": floors},
            "layout": LAYOUTS[p % len(LAYOUTS)],
            "orientation": "south" if p <= positions // 2 else "north_south",
            "decoration": "bare",
            "internal_area_centi_m2": 8_500 + p * 450,
            "shared_area_centi_m2": 1_900,
            "list_unit_price_fen_per_m2": base_price_fen_per_m2,
            "floor_price_step_fen_per_m2": 8_000,
        }
        for p in range(1, positions + 1)
    ]


# --- the full demo through the gateway -----------------------------------------------------------

# username, roles, display name (one per DOMAIN.md role; two reps)
DEMO_USERS = [
    ("wang.xiaoming", ["sales_rep"], "王小明 置业顾问"),
    ("li.jing", ["sales_rep"], "李静 置业顾问"),
    ("zhao.min", ["sales_control"], "赵敏 现场销控"),
    ("sun.li", ["sales_supervisor"], "孙丽 销售主任"),
    ("zhou.qiang", ["sales_manager"], "周强 销售经理"),
    ("chen.jie", ["cashier"], "陈洁 收款员"),
    ("wu.fang", ["finance_supervisor"], "吴芳 财务主任"),
    ("zheng.hao", ["finance_director"], "郑浩 财务总监"),
    ("liu.yang", ["gm"], "刘洋 总经理"),
    ("he.ping", ["mortgage_clerk"], "何平 按揭经办"),
    ("ma.lin", ["handover_clerk"], "马琳 接楼经办"),
    ("huang.wei", ["executive"], "黄伟 集团副总裁"),
    ("xu.ning", ["operator"], "徐宁 业务操作员"),
]


def random_password(prefix):
    alphabet = string.ascii_letters + string.digits
    while True:
        tail = "".join(secrets.choice(alphabet) for _ in range(10))
        if any(c.isdigit() for c in tail):
            return prefix + tail


# The channel of a follow-up event by its kind (a visit comes in person, a call by phone).
EVENT_CHANNEL = {"visit": "visit", "call_in": "call", "call_out": "call", "follow_up": "call",
                 "event_attended": "event"}


class Demo:
    def __init__(self, gateway):
        self.gw = gateway
        self.users = {}      # role key -> {"id", "token", "username", "display_name"}
        self.counts = {}
        self.receipt_seq = 0

    def count(self, what, n=1):
        self.counts[what] = self.counts.get(what, 0) + n

    def call(self, who, method, path, body=None):
        token = self.users[who]["token"] if who in self.users else who  # a role key or a token
        return request(self.gw, method, path, token, body)

    def do(self, who, method, path, body=None, expected=(200, 201), what=None):
        return must(self.call(who, method, path, body), *expected,
                    what=what or f"{who}: {method} {path}")

    # 1. users ----------------------------------------------------------------------------------

    def login(self, username, password):
        status, body = request(self.gw, "POST", "/api/v1/auth/login", None,
                               {"username": username, "password": password}, deadline_s=90)
        if status != 200:
            fail(f"log in as {username}", status, body)
        return body

    def create_users(self, admin_token, project_id, users_file):
        demo_password = random_password("Demo-")
        for username, roles, display in DEMO_USERS:
            initial = random_password("Init-")
            user = self.do(admin_token, "POST", "/api/v1/users",
                           {"username": username, "display_name": display, "password": initial,
                            "roles": roles, "project_ids": [project_id]},
                           expected=(201,), what=f"admin: create user {username}")
            tokens = self.login(username, initial)
            if not tokens.get("must_change_password"):
                fail(f"{username}: a new user must change its password", 200, tokens)
            self.do(tokens["access_token"], "POST", "/api/v1/auth/password",
                    {"current_password": initial, "new_password": demo_password},
                    expected=(200,), what=f"{username}: change the initial password")
            # The session that changed the password stays valid (the other ones are revoked).
            key = roles[0] if roles[0] != "sales_rep" else ("rep1" if "rep1" not in self.users
                                                             else "rep2")
            self.users[key] = {"id": user["id"], "token": tokens["access_token"],
                               "username": username, "display_name": display}
            self.count("users")
        fd = os.open(users_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for username, roles, display in DEMO_USERS:
                out.write(f"{username}\t{demo_password}\t{','.join(roles)}\t{display}\n")

    # 2. units ------------------------------------------------------------------------------------

    def set_up_units(self, project_id):
        units = {}        # (building name, unit number) -> unit
        price_items = []
        buildings = {}
        for name, floors, positions, price, release in (("1栋", 18, 4, 1_650_000, True),
                                                        ("2栋", 26, 6, 1_580_000, True),
                                                        ("3栋", 11, 2, 1_720_000, False)):
            building = self.do("operator", "POST", f"/api/v1/projects/{project_id}/buildings",
                               {"name": name, "floors": floors})
            buildings[name] = (building["id"], release)
            body = {"templates": templates(positions, floors, price)}
            created = self.do("operator", "POST",
                              f"/api/v1/buildings/{building['id']}/units:bulk", body)
            self.count("buildings")
            self.count("units", created["created"])
            for u in created["units"]:
                units[(name, u["unit_number"])] = u
                if release:
                    # The approved price list (INV-2): south-facing units 300 元/m² up, the others
                    # 100 元/m²; the list sets every released unit's price.
                    step = 30_000 if u["position"] <= positions // 2 else 10_000
                    unit_price = price + (u["floor"] - 2) * 8_000 + step
                    price_items.append({"unit_id": u["id"], "unit_price_fen_per_m2": unit_price})
        price_list = self.do("operator", "POST", f"/api/v1/projects/{project_id}/price-lists",
                             {"name": "一期首批开盘价目表", "items": price_items})
        self.do("finance_supervisor", "POST", f"/api/v1/price-lists/{price_list['id']}/approve")
        self.count("price_items", len(price_items))
        for name, (building_id, release) in buildings.items():
            if release:
                result = self.do("sales_control", "POST", "/api/v1/units:release",
                                 {"building_id": building_id, "reason": "一期首批开盘"})
                self.count("released", result["changed"])
        withdrawn = [units[("1栋", "1801")]["id"], units[("1栋", "1802")]["id"]]
        result = self.do("sales_control", "POST", "/api/v1/units:withdraw",
                         {"unit_ids": withdrawn, "reason": "顶层样板间，暂不对外销售"})
        self.count("withdrawn", result["changed"])
        # INV-4: in the opening week only the sales manager reserves.
        self.do("sales_manager", "POST", f"/api/v1/units/{units[('1栋', '1504')]['id']}/reservation",
                {"reason": "老业主推荐客户预留，待周末来访确认",
                 "expires_at": rfc3339(now_utc() + datetime.timedelta(days=3))})
        self.count("reservations")
        return units

    # 3. customers --------------------------------------------------------------------------------

    def add_customer(self, rep, project_id, c):
        first_days, first_kind, first_note = c["events"][0]
        body = {"project_id": project_id, "name": c["name"], "phone": c["phone"],
                "channel": c["channel"], "type": c["type"], "gender": c["gender"],
                "birth_year": c["birth_year"],
                "first_event": {"kind": first_kind, "note": first_note,
                                "occurred_at": days_ago(first_days)}}
        if "needs" in c:
            body["needs"] = c["needs"]
        if "occupation" in c:
            body["occupation"] = c["occupation"]

        # The customer service learns the project from inventory's event; wait for it.
        def attempt():
            status, answer = self.call(rep, "POST", "/api/v1/customers", body)
            return (status != 404 or error_code(answer) != "project_not_found"), (status, answer)
        status, customer = until("customer service to learn project HX01", attempt)
        if status != 201:
            fail(f"{rep}: record customer {c['name']}", status, customer)
        self.count("customers")
        self.count(f"customers_{rep}")
        if c["events"][-1][0] >= 14:
            self.count("stale")
        self.count("events")
        for days, kind, note in c["events"][1:]:
            self.do(rep, "POST", f"/api/v1/customers/{customer['id']}/events",
                    {"kind": kind, "note": note, "occurred_at": days_ago(days, hour=15),
                     "channel": EVENT_CHANNEL.get(kind, c["channel"])})
            self.count("events")
        if c.get("stage"):
            self.do(rep, "POST", f"/api/v1/customers/{customer['id']}/stage",
                    {"stage": c["stage"], "reason": "跟进后判断"})
        return customer["id"]

    def add_customers(self, project_id):
        budget = lambda lo, hi: {"budget_min_fen": lo * 1_000_000, "budget_max_fen": hi * 1_000_000}
        rep1 = [
            dict(key="zhang", name="张伟", phone="138 1234 5678", channel="visit", type="first_home",
                 gender="male", birth_year=1990, occupation="软件工程师", stage="prospect",
                 needs={**budget(150, 200), "layout": "3室2厅2卫", "purchase_horizon": "within_3_months"},
                 events=[(10, "visit", "首次来访，看 3 室，关注学区"),
                         (6, "call_out", "回访，约周末带家人看样板间"),
                         (2, "visit", "携家人二次来访，意向 1 栋 10 层"),
                         (0, "follow_up", "确认付款方式：按揭，首付三成")]),
            dict(key="lina", name="李娜", phone="+86 139-8765-4321", channel="call", type="upgrade",
                 gender="female", birth_year=1985, stage="prospect",
                 needs={**budget(160, 220), "layout": "2室2厅1卫", "purchase_horizon": "within_3_months"},
                 events=[(8, "call_in", "来电咨询学区与交房时间"),
                         (5, "visit", "来访看 1 栋样板间"),
                         (1, "follow_up", "确认分期付款方案")]),
            dict(key="wangfang", name="王芳", phone="028-87654321", channel="referral",
                 type="investment", gender="female", birth_year=1978, stage="intent",
                 events=[(1, "visit", "老客户介绍，看 2 栋高层"),
                         (0, "call_out", "通知定金已到账")]),
            dict(key="chenjing", name="陈静", phone="137 0000 1111", channel="online",
                 type="first_home", gender="female", birth_year=1995,
                 events=[(20, "call_in", "网络留资后来电，预算有限，暂不考虑")]),
            dict(key="yangfan", name="杨帆", phone="136 0000 2222", channel="event",
                 type="upgrade", gender="male", birth_year=1982, stage="intent",
                 events=[(9, "event_attended", "参加开盘暖场活动"),
                         (7, "visit", "来访，关注 4 室户型")]),
        ]
        rep2 = [
            dict(key="zhaolei", name="赵磊", phone="135 0000 3333", channel="visit",
                 type="first_home", gender="male", birth_year=1992, stage="prospect",
                 needs={**budget(140, 180), "layout": "3室2厅2卫", "purchase_horizon": "within_3_months"},
                 events=[(1, "visit", "首次来访，看 2 栋 8 层"),
                         (0, "call_out", "约今日下午认购")]),
            dict(key="sunyue", name="孙悦", phone="134 0000 4444", channel="call",
                 type="investment", gender="female", birth_year=1975, stage="prospect",
                 events=[(12, "call_in", "来电咨询一次性付款优惠"),
                         (6, "visit", "来访看 2 栋 16 层"),
                         (3, "follow_up", "确认一次性付款")]),
            dict(key="zhouting", name="周婷", phone="158 0000 5555", channel="online",
                 type="upgrade", gender="female", birth_year=1988, stage="prospect",
                 events=[(1, "visit", "来访，看 2 栋 20 层"),
                         (0, "call_out", "客户家庭原因可能退房")]),
            dict(key="wujun", name="吴军", phone="159 0000 6666", channel="referral",
                 type="first_home", gender="male", birth_year=1998,
                 events=[(0, "visit", "同事介绍，首次来访")]),
            dict(key="heli", name="何丽", phone="189 0000 7777", channel="call",
                 type="upgrade", gender="female", birth_year=1980, stage="intent",
                 events=[(8, "call_in", "来电咨询 4 室户型价格"),
                         (7, "visit", "来访看样板间，尚在比较其他楼盘")]),
        ]
        ids = {}
        for rep, people in (("rep1", rep1), ("rep2", rep2)):
            for c in people:
                ids[c["key"]] = self.add_customer(rep, project_id, c)
        # CUS-3: 李静 records 张伟's phone again: stored as a collision for the sales manager.
        status, body = self.call("rep2", "POST", "/api/v1/customers",
                                 {"project_id": project_id, "name": "张先生",
                                  "phone": "13812345678", "channel": "visit",
                                  "first_event": {"kind": "visit", "note": "自然来访，自称未联系过其他顾问"}})
        if status != 409 or error_code(body) != "ownership_collision":
            fail("rep2: record 张伟's phone (expected 409 ownership_collision)", status, body)
        self.count("collisions")
        # CUS-10: a complaint, open.
        self.do("rep1", "POST", f"/api/v1/customers/{ids['wangfang']}/complaints",
                {"category": "service", "channel": "visit",
                 "description": "客户反映周末看房排队近一小时，希望增加接待人员"})
        self.count("complaints")
        return ids

    # 4. deals --------------------------------------------------------------------------------------

    def subscribe(self, who, unit, customer_id, plan, deposit_fen, discount_fen=0, rep_id=None):
        body = {"unit_id": unit["id"], "customer_id": customer_id, "payment_plan": plan,
                "deposit_fen": deposit_fen, "discount_fen": discount_fen,
                "signing_deadline": day(20)}
        if rep_id:
            body["rep_id"] = rep_id

        # The contract service learns the project from inventory's event; wait for it.
        def attempt():
            status, answer = self.call(who, "POST", "/api/v1/subscriptions", body)
            return (status != 503), (status, answer)
        status, sub = until("contract service to learn project HX01", attempt)
        if status != 201:
            fail(f"{who}: subscribe unit {unit['unit_number']}", status, sub)
        self.count("subscriptions")
        return sub

    def receipt_no(self):
        self.receipt_seq += 1
        return f"SJ{today().strftime('%Y%m%d')}-{self.receipt_seq:03d}"

    def pay(self, target, category, method, payer, amount_fen, note=None):
        key = "subscription_id" if "subscription_id" in target else "contract_id"
        body = {key: target[key], "category": category, "method": method, "payer": payer,
                "amount_fen": amount_fen, "receipt_no": self.receipt_no()}
        if note:
            body["note"] = note

        # Finance learns subscriptions and contracts from contract's events; wait for them.
        def attempt():
            status, answer = self.call("cashier", "POST", "/api/v1/payments", body)
            return (status != 404), (status, answer)
        status, entry = until(f"finance to learn {key} {target[key]}", attempt)
        if status != 201:
            fail(f"cashier: {category} receipt {body['receipt_no']}", status, entry)
        self.count("receipts")
        return entry

    def pay_deposit(self, sub, payer):
        self.pay({"subscription_id": sub["id"]}, "deposit",
                 "card", payer, sub["deposit_fen"], note="定金")

        # CON-1: contract confirms the subscription on finance.deposit.received.
        def attempt():
            status, answer = self.call("cashier", "GET", f"/api/v1/subscriptions/{sub['id']}")
            return (status == 200 and answer.get("status") == "confirmed"), (status, answer)
        return until("the subscription to be confirmed after its deposit", attempt)[1]

    def sign(self, rep, sub, plan):
        contract = self.do(rep, "POST", f"/api/v1/subscriptions/{sub['id']}/sign", {"plan": plan})
        self.count("signed")
        return contract

    def audit(self, contract, steps):
        notes = {"sales_supervisor": "房号、价格、付款方式与认购书一致，同意",
                 "sales_manager": "优惠在标准范围内，同意",
                 "finance_supervisor": "定金已到账，收款计划无误，复核通过",
                 "finance_director": "复核通过"}
        for role in steps:
            self.do(role, "POST", f"/api/v1/contracts/{contract['id']}/audit/approve",
                    {"note": notes[role]})
            self.count("audits")

    def add_deals(self, units, customers):
        deposit = 5_000_000   # 定金 5 万元
        b1 = lambda n: units[("1栋", n)]
        b2 = lambda n: units[("2栋", n)]
        rep2_id = self.users["rep2"]["id"]

        # A: awaiting the deposit (12 h countdown), entered by sales control for 李静.
        self.subscribe("sales_control", b2("805"), customers["zhaolei"], "mortgage", deposit,
                       rep_id=rep2_id)
        self.count("pending_deposit")

        # B: deposit paid (confirmed), to be signed.
        b = self.subscribe("rep1", b2("1203"), customers["wangfang"], "one_off", deposit)
        self.pay_deposit(b, "王芳")
        self.count("confirmed")

        # G: deposit paid, then a cancellation request awaiting the finance director (CON-2).
        g = self.subscribe("rep2", b2("2006"), customers["zhouting"], "mortgage", deposit)
        self.pay_deposit(g, "周婷")
        self.do("sales_control", "POST", f"/api/v1/subscriptions/{g['id']}/cancel",
                {"reason": "客户家庭原因申请退房，定金待财务总监审批退还"})
        self.count("cancellation_requested")

        # C: signed with instalments; the supervisor approved, the manager's audit is open.
        c = self.subscribe("rep1", b1("902"), customers["lina"], "instalments", deposit)
        c = self.pay_deposit(c, "李娜")
        first = c["price_fen"] * 30 // 100 // 100 * 100
        second = c["price_fen"] * 30 // 100 // 100 * 100
        contract_c = self.sign("rep1", c, {"kind": "instalments", "instalments": [
            {"due_date": day(7), "amount_fen": first},
            {"due_date": day(90), "amount_fen": second},
            {"due_date": day(180), "amount_fen": c["price_fen"] - first - second}]})
        self.audit(contract_c, ["sales_supervisor"])
        self.count("awaiting_audit")

        # D: mortgage with a standard discount, 4 audits, stamped, registered; the down payment
        # paid today in two receipts, one of them first entered wrong and reversed (红冲, FIN-3).
        d = self.subscribe("rep1", b1("1003"), customers["zhang"], "mortgage", deposit,
                           discount_fen=2_000_000)
        d = self.pay_deposit(d, "张伟")
        down = d["price_fen"] * 30 // 100 // 100 * 100
        contract_d = self.sign("rep1", d, {"kind": "mortgage", "down_payment_fen": down,
                                           "down_payment_due_date": day(0),
                                           "loan_fen": d["price_fen"] - down,
                                           "loan_expected_date": day(45)})
        self.audit(contract_d, ["sales_supervisor", "sales_manager", "finance_supervisor",
                                "finance_director"])
        self.do("gm", "POST", f"/api/v1/contracts/{contract_d['id']}/stamp",
                {"stamped_on": day(0), "stamp_no": f"HX01-GZ-{today().strftime('%Y%m%d')}-01"})
        self.count("stamped")
        self.do("sales_manager", "POST", f"/api/v1/contracts/{contract_d['id']}/registration",
                {"filed_at": rfc3339(now_utc() - datetime.timedelta(minutes=1)),
                 "registration_date": day(0),
                 "registration_no": f"CD-WQ-{today().strftime('%Y')}-{secrets.randbelow(900000) + 100000}"})
        self.count("registered")
        target = {"contract_id": contract_d["id"]}
        rest = down - deposit
        part = 20_000_000
        self.pay(target, "down_payment", "card", "张伟", part, note="首付款（刷卡）")
        wrong = self.pay(target, "down_payment", "transfer", "张伟", (rest - part) // 10,
                         note="首付款（转账）")
        self.do("cashier", "POST", f"/api/v1/entries/{wrong['id']}/reverse",
                {"reason": "金额少录一位，红冲后按银行回单重录"})
        self.count("reversals")
        self.pay(target, "down_payment", "transfer", "张伟", rest - part, note="首付款（转账，重录）")

        # F: one-off payment, fully audited, stamped and paid in full: eligible for handover.
        f = self.subscribe("rep2", b2("1601"), customers["sunyue"], "one_off", deposit)
        f = self.pay_deposit(f, "孙悦")
        contract_f = self.sign("rep2", f, {"kind": "one_off", "due_date": day(3)})
        self.audit(contract_f, ["sales_supervisor", "sales_manager", "finance_supervisor",
                                "finance_director"])
        self.do("gm", "POST", f"/api/v1/contracts/{contract_f['id']}/stamp",
                {"stamped_on": day(0), "stamp_no": f"HX01-GZ-{today().strftime('%Y%m%d')}-02"})
        self.count("stamped")
        self.pay({"contract_id": contract_f["id"]}, "instalment", "transfer", "孙悦",
                 f["price_fen"] - deposit, note="一次性付款（扣除定金）")

        def eligible():
            status, answer = self.call("handover_clerk", "GET",
                                       "/api/v1/contracts/handover-eligible")
            ids = [i.get("id") or i.get("contract_id") for i in (answer or {}).get("items", [])] \
                if status == 200 else []
            return contract_f["id"] in ids, (status, answer)
        until("the fully paid contract to become eligible for handover", eligible)
        self.count("handover_eligible")
        return {"A": "2栋 805", "B": "2栋 1203", "G": "2栋 2006", "C": contract_c.get("contract_no"),
                "D": contract_d.get("contract_no"), "F": contract_f.get("contract_no")}


def full(token, inventory, gateway, admin_password_file, users_file):
    started = time.monotonic()
    status, projects = request(inventory, "GET", "/api/v1/projects?limit=500", token)
    projects = must((status, projects), 200, what="list projects")
    if any(p["code"] == PROJECT["code"] for p in projects["items"]):
        print("demo data: project HX01 already exists; left as it is")
        if not os.path.exists(users_file):
            print(f"demo data: no {users_file} (made before the demo users existed); "
                  "deploy/local/down.sh --clean and up.sh again to get them")
        return
    try:
        with open(admin_password_file, encoding="utf-8") as f:
            admin_password = f.read().strip()
    except OSError as error:
        sys.exit(f"demo data: cannot read the admin password: {error}")
    demo = Demo(gateway)
    admin = demo.login("admin", admin_password)["access_token"]
    project = demo.do(admin, "POST", "/api/v1/projects", PROJECT, expected=(201,),
                      what="admin: create project HX01")
    demo.create_users(admin, project["id"], users_file)
    n = demo.counts
    print(f"demo data: {n['users']} demo users, one per role, assigned to HX01 "
          f"({time.monotonic() - started:.1f} s)")
    phase = time.monotonic()
    units = demo.set_up_units(project["id"])
    customers = demo.add_customers(project["id"])
    deals = demo.add_deals(units, customers)
    print(f"demo data: project HX01 华熙府一期: {n['buildings']} buildings, {n['units']} units "
          f"({n['released']} released at the approved price list's prices, "
          f"{n['withdrawn']} withdrawn, 3栋 not released yet), {n['reservations']} reservation")
    print(f"demo data: {n['customers']} customers ({n['customers_rep1']} of "
          f"{demo.users['rep1']['display_name']}, {n['customers_rep2']} of "
          f"{demo.users['rep2']['display_name']}), {n['events']} customer events, "
          f"{n['collisions']} collision awaiting the manager, {n['complaints']} open complaint, "
          f"{n['stale']} stale customer")
    print(f"demo data: {n['subscriptions']} subscriptions ({n['pending_deposit']} awaiting deposit, "
          f"{n['confirmed']} deposit paid, {n['cancellation_requested']} cancellation requested, "
          f"{n['signed']} signed); contracts {deals['C']} (awaiting the sales manager's audit), "
          f"{deals['D']} (stamped, registered), {deals['F']} (paid, eligible for handover); "
          f"{n['audits']} audit approvals; {n['receipts']} receipts of today and "
          f"{n['reversals']} reversal (红冲)")
    print(f"demo data: done in {time.monotonic() - started:.1f} s "
          f"(business data {time.monotonic() - phase:.1f} s)")


# --- the minimal demo on the services' own ports (some service missing) ---------------------

def minimal(token, inventory, contract, customer):
    status, project = request(inventory, "POST", "/api/v1/projects", token, PROJECT)
    if status == 409:
        print("demo data: project HX01 already exists; left as it is")
        return
    must((status, project), 201, what="create project HX01")
    units = []
    for name, floors, positions, price in (("1栋", 18, 4, 1_650_000), ("2栋", 26, 6, 1_580_000)):
        building = must(request(inventory, "POST", f"/api/v1/projects/{project['id']}/buildings",
                                token, {"name": name, "floors": floors}), 201)
        created = must(request(inventory, "POST", f"/api/v1/buildings/{building['id']}/units:bulk",
                               token, {"templates": templates(positions, floors, price)}), 201)
        must(request(inventory, "POST", "/api/v1/units:release", token,
                     {"building_id": building["id"]}), 200)
        units += [u["id"] for u in created["units"]]
    print(f"demo data: project HX01 with {len(units)} released units in 1栋 and 2栋")
    if contract is None:
        return
    for unit_id in units[-2:]:
        body = {"unit_id": unit_id, "customer_id": str(uuid.uuid4()), "discount_fen": 0,
                "payment_plan": "mortgage", "deposit_fen": 5_000_000, "signing_deadline": day(30)}
        until("contract to learn project HX01", lambda: (
            (lambda r: (r[0] != 503, r))(request(contract, "POST", "/api/v1/subscriptions",
                                                 token, body))))
    print("demo data: 2 subscriptions awaiting deposit (deadline 12 h)")
    if customer is None:
        return
    for name, phone, channel in (("张伟", "138 1234 5678", "visit"),
                                 ("李娜", "+86 139-8765-4321", "call"),
                                 ("王芳", "028-87654321", "referral")):
        body = {"project_id": project["id"], "name": name, "phone": phone, "channel": channel,
                "type": "first_home", "first_event": {"kind": "visit", "note": "首次来访"}}
        status, answer = until("customer to learn project HX01", lambda: (
            (lambda r: (r[0] not in (404, 503), r))(request(customer, "POST", "/api/v1/customers",
                                                            token, body))))
        must((status, answer), 201, what=f"record customer {name}")
    print("demo data: 3 customers (CUS-1), each with a first event")


def main(argv):
    options, positional = {}, []
    i = 0
    while i < len(argv):
        if argv[i].startswith("--"):
            options[argv[i][2:]] = argv[i + 1]
            i += 2
        else:
            positional.append(argv[i])
            i += 1
    if len(positional) < 2:
        sys.exit(__doc__)
    token, inventory = positional[0], int(positional[1])
    if "gateway" in options:
        full(token, inventory, int(options["gateway"]), options["admin-password-file"],
             options["users-file"])
    else:
        contract = int(positional[2]) if len(positional) > 2 else None
        customer = int(positional[3]) if len(positional) > 3 else None
        minimal(token, inventory, contract, customer)


if __name__ == "__main__":
    main(sys.argv[1:])
