"""Contender (d): the pandas peer. The ten headline KPIs of one month, as an analyst would
compute them in a notebook from a CSV export of the CRM, following the definitions in
queries/**/*.sql (the same numbers as ours, checked by the benchmark).

    /usr/bin/python3 bench/contenders/headline_pandas.py CSV_DIR 2026-10-01 2026-11-01

Prints one JSON line: timings, the ten values, peak memory. Debian's python3-pandas.
"""

import json
import re
import sys
import time

import pandas as pd

TS = "%Y-%m-%d %H:%M:%S"
DAY = "%Y-%m-%d"


def read(folder, table, columns, timestamps=(), dates=()):
    frame = pd.read_csv(f"{folder}/{table}.csv", usecols=columns)
    for column in timestamps:
        frame[column] = pd.to_datetime(frame[column], format=TS)
    for column in dates:
        frame[column] = pd.to_datetime(frame[column], format=DAY)
    return frame


def ratio(numerator, denominator):
    return None if denominator == 0 else float(numerator) / float(denominator)


def headline(folder, start, end):
    orders = read(folder, "orders", ["ordered_at", "amount"], timestamps=["ordered_at"])
    opportunities = read(
        folder,
        "opportunities",
        ["status", "amount", "created_at", "closed_at"],
        timestamps=["created_at", "closed_at"],
    )
    customers = read(
        folder, "customers", ["customer_id", "acquired_at", "churned_at"], dates=["acquired_at", "churned_at"]
    )
    expenses = read(folder, "expenses", ["spent_on", "category", "amount"], dates=["spent_on"])
    subscriptions = read(
        folder,
        "subscriptions",
        ["customer_id", "mrr", "started_at", "ends_at", "cancelled_at"],
        dates=["started_at", "ends_at", "cancelled_at"],
    )
    surveys = read(folder, "surveys", ["kind", "score", "responded_at"], timestamps=["responded_at"])
    loaded = time.perf_counter()

    out = {}
    in_month = (orders.ordered_at >= start) & (orders.ordered_at < end)
    out["revenue"] = float(orders.amount[in_month].sum())

    closed = opportunities[(opportunities.closed_at >= start) & (opportunities.closed_at < end)]
    decided = closed[closed.status.isin(["won", "lost"])]
    won = decided[decided.status == "won"]
    out["close_rate"] = ratio(len(won), len(decided))
    out["won_revenue"] = float(won.amount.sum())

    still_open = (opportunities.closed_at >= end) | (
        opportunities.closed_at.isna() & (opportunities.status == "open")
    )
    out["open_pipeline"] = float(opportunities.amount[(opportunities.created_at < end) & still_open].sum())

    new = customers[(customers.acquired_at >= start) & (customers.acquired_at < end)]
    out["new_customers"] = float(len(new))
    at_start = customers[
        (customers.acquired_at < start) & (customers.churned_at.isna() | (customers.churned_at >= start))
    ]
    out["churn_rate"] = ratio((at_start.churned_at < end).sum(), len(at_start))

    spend = expenses[
        expenses.category.isin(["marketing", "sales"]) & (expenses.spent_on >= start) & (expenses.spent_on < end)
    ]
    out["cac"] = ratio(spend.amount.sum(), len(new))

    until = subscriptions.cancelled_at.fillna(subscriptions.ends_at)
    live = subscriptions[(subscriptions.started_at <= end) & (until > start)].assign(until=until)
    start_mrr = live.mrr.where((live.started_at <= start) & (start < live.until), 0.0)
    end_mrr = live.mrr.where((live.started_at <= end) & (end < live.until), 0.0)
    per_customer = pd.DataFrame({"customer_id": live.customer_id, "start": start_mrr, "end": end_mrr})
    per_customer = per_customer.groupby("customer_id", sort=False).sum()
    cohort = per_customer[per_customer.start > 0]
    out["nrr"] = ratio(cohort.end.sum(), cohort.start.sum())

    answered = surveys[(surveys.responded_at >= start) & (surveys.responded_at < end)]
    nps = answered[answered.kind == "nps"].score
    out["nps"] = None if len(nps) == 0 else 100.0 * ((nps >= 9).sum() - (nps <= 6).sum()) / len(nps)
    csat = answered[answered.kind == "csat"].score
    out["csat"] = ratio((csat >= 4).sum(), len(csat))
    return out, loaded


def peak_kb():
    with open("/proc/self/status") as status:
        match = re.search(r"^VmHWM:\s+(\d+)\s+kB", status.read(), re.M)
    return int(match.group(1)) if match else None


def main():
    folder, start, end = sys.argv[1], pd.Timestamp(sys.argv[2]), pd.Timestamp(sys.argv[3])
    started = time.perf_counter()
    values, loaded = headline(folder, start, end)
    ended = time.perf_counter()
    result = {
        "contender": "pandas",
        "phases": {
            "load_ms": (loaded - started) * 1000,
            "kpi_ms": (ended - loaded) * 1000,
            "total_ms": (ended - started) * 1000,
        },
        "headline": values,
        "versions": {"pandas": pd.__version__, "python": sys.version.split()[0]},
        "peak_kb": peak_kb(),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
