"""The production image's files: what the Dockerfile's `COPY . .` keeps once .dockerignore has spoken.

No container engine runs here, so the test lays out the same files (the repository's, less what
.dockerignore names) and starts Django there as the image would: the app must work without its
tests, benches and the TMDB stand-in, and none of them may ship.
"""

import fnmatch
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DEVELOPMENT_ONLY = ["enrichment/standin/server.py", "bench/enrich.py", "movies/tests/factories.py"]


def ignore_patterns():
    lines = (BASE_DIR / ".dockerignore").read_text().splitlines()
    return [line.strip().rstrip("/") for line in lines if line.strip() and not line.startswith("#")]


def ignored(path, patterns):
    """Docker's rule: a pattern matching the path or any folder above it leaves the file out."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: count + 1]) for count in range(len(parts))]
    return any(fnmatch.fnmatch(prefix, pattern) for prefix in prefixes for pattern in patterns)


@pytest.fixture(scope="module")
def image_tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("image")
    patterns = ignore_patterns()
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=BASE_DIR, capture_output=True, text=True, check=True
    ).stdout.split()
    for path in tracked:
        if not ignored(path, patterns) and (BASE_DIR / path).is_file():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((BASE_DIR / path).read_bytes())
    return root


def test_the_image_leaves_out_tests_benches_and_the_stand_in(image_tree):
    for path in DEVELOPMENT_ONLY:
        assert (BASE_DIR / path).exists()
        assert not (image_tree / path).exists(), path
    assert (image_tree / "enrichment" / "tmdb" / "client.py").exists()
    assert not list(image_tree.glob("**/tests"))


def test_the_app_starts_without_them_with_production_settings(image_tree):
    env = {
        **os.environ,
        "DJANGO_ENV_FILE": "",
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "false",
        "SECRET_KEY": "an-image-test-key-long-enough-for-check-deploy-0123456789abcdef",
        "ALLOWED_HOSTS": "stats.example.org",
    }
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--fail-level", "ERROR"],
        cwd=image_tree, env=env, capture_output=True, text=True, timeout=120,
    )
    assert check.returncode == 0, check.stderr
    # The stand-in's command is gone with its package, and says so rather than crashing.
    standin = subprocess.run(
        [sys.executable, "manage.py", "fake_tmdb", "--help"],
        cwd=image_tree, env=env, capture_output=True, text=True, timeout=120,
    )
    assert standin.returncode != 0 and "Unknown command" in standin.stderr
