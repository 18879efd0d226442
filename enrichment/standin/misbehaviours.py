"""How the stand-in misbehaves on demand, as real servers and proxies do (FakeTmdb.misbehave)."""

import json

# What each misbehaviour answers, as (status, headers, raw body); ``options`` are the mode's.
OVERSIZED_BYTES = 5 * 1024 * 1024  # past the client's cap (enrichment/tmdb/answers.py)
MISBEHAVIOURS = {
    # A 200 whose JSON is cut short, as a proxy that dropped the connection would leave it.
    "truncated_json": lambda options: (200, {}, b'{"page": 1, "results": [{"id": 12, "title": "He'),
    # A 200 with an HTML page: a captive portal, a CDN's error page.
    "html": lambda options: (
        200,
        {"Content-Type": "text/html; charset=utf-8"},
        b"<!DOCTYPE html><html><body><h1>Service temporarily unavailable</h1></body></html>",
    ),
    # Valid JSON, far larger than any TMDB answer.
    "oversized": lambda options: (
        200,
        {},
        b'{"page": 1, "results": [], "padding": "' + b"x" * OVERSIZED_BYTES + b'"}',
    ),
    # Valid JSON without the fields relied on.
    "wrong_shape": lambda options: (200, {}, b'{"page": 1, "results": "none"}'),
    # A redirect to another host or port: whoever follows it hands that host the key.
    "redirect": lambda options: (302, {"Location": options.get("location", "http://127.0.0.2:1/3/")}, b""),
    # A 429 asking for a very long pause.
    "retry_after": lambda options: (
        429,
        {"Retry-After": str(options.get("seconds", 3600))},
        json.dumps(
            {"success": False, "status_code": 25, "status_message": "Your request count is over the limit."}
        ).encode(),
    ),
    # Down: a 503, TMDB's "Service offline".
    "down": lambda options: (
        503,
        {},
        json.dumps({"success": False, "status_code": 9, "status_message": "Service offline."}).encode(),
    ),
}
