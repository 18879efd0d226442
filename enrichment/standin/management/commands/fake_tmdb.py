from django.core.management.base import BaseCommand

from enrichment.standin.server import DEFAULT_API_KEY, FakeTmdb, make_server


class Command(BaseCommand):
    help = "Serve the local TMDB stand-in (catalog from a seed, TMDB's rate limit enforced with 429s)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--seed", type=int, default=7, help="catalog seed")
        parser.add_argument("--size", type=int, default=3000, help="films in the catalog")
        parser.add_argument("--limit", type=int, default=40, help="requests allowed in any window")
        parser.add_argument("--window", type=float, default=10.0, help="window length in seconds")
        parser.add_argument(
            "--api-key", default=DEFAULT_API_KEY, help="the only key (or Bearer token) accepted"
        )
        parser.add_argument("--latency", type=float, default=0.0, help="mean seconds before each answer")
        parser.add_argument(
            "--error-rate", type=float, default=0.0, help="share of requests answered 500/503"
        )
        parser.add_argument(
            "--invent-missing", action="store_true", help="answer any title with an invented film (demos)"
        )

    def handle(self, *args, **options):
        fake = FakeTmdb(
            seed=options["seed"],
            size=options["size"],
            limit=options["limit"],
            window=options["window"],
            api_key=options["api_key"],
            latency=options["latency"],
            error_rate=options["error_rate"],
            invent_missing=options["invent_missing"],
        )
        server = make_server(fake, options["host"], options["port"])
        self.stdout.write(
            f"Fake TMDB on http://{options['host']}:{options['port']}/3 "
            f"({len(fake.films)} films, {fake.limit} requests per {fake.window:g} s, key {fake.api_key!r})",
        )
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
