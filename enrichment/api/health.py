"""GET /api/health: is every service the API and the workers depend on reachable, and which TMDB?"""

from django.http import JsonResponse

from core.health import run_checks
from enrichment.selectors import tmdb_mode


def health(request):
    checks = run_checks()
    down = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "ok" if not down else "unavailable", "checks": checks, "tmdb": tmdb_mode()}
    if down:
        body["detail"] = f"Unavailable: {', '.join(down)}."
    return JsonResponse(body, status=503 if down else 200)
