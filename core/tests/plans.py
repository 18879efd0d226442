"""Query plans for tests that show a query stays on its indexes as tables grow (issue 25)."""

import json

from django.db import connection


def plan_nodes(sql, params=(), *, analyze=False):
    """Every node of the plan PostgreSQL makes for ``sql`` (run for real with ``analyze``, so
    only for reads)."""
    options = "FORMAT JSON, ANALYZE" if analyze else "FORMAT JSON"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({options}) {sql}", params or None)
        [plan] = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes, todo = [], [plan[0]["Plan"]]
    while todo:
        node = todo.pop()
        nodes.append(node)
        todo += node.get("Plans", [])
    return nodes


def full_scans(sql, params=()):
    """The tables ``sql``'s plan reads whole: "Seq Scan" nodes, parallel or not."""
    nodes = plan_nodes(sql, params)
    return sorted(node["Relation Name"] for node in nodes if node["Node Type"] == "Seq Scan")


def rows_read(sql, table, params=()):
    """How many rows of ``table`` (its heap or its indexes) running ``sql`` looked at: what each
    scan returned plus what its filters threw away."""
    read = 0
    for node in plan_nodes(sql, params, analyze=True):
        if node.get("Relation Name") == table or node["Node Type"] == "Bitmap Index Scan":
            loops = node.get("Actual Loops", 1)
            kept = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
            read = max(read, (kept + node.get("Rows Removed by Index Recheck", 0)) * loops)
    return read
