"""docker-compose.yml as the compose client resolves it: deployable, whatever .env lies beside it.

No container engine runs here; `docker-compose config` validates the file and prints what
each service would get.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parent.parent.parent
APP_SERVICES = ["migrate", "web", "worker", "beat"]

pytestmark = pytest.mark.skipif(
    shutil.which("docker-compose") is None,
    reason="docker-compose not installed (scripts/setup.sh installs it)",
)


@pytest.fixture
def resolved(tmp_path):
    """The compose file resolved next to a development .env and a deploy.env."""
    shutil.copy(BASE_DIR / "docker-compose.yml", tmp_path)
    (tmp_path / ".env").write_text("DEBUG=true\nSECRET_KEY=development-key\nDJANGO_ENV_FILE=.env\n")
    (tmp_path / "deploy.env").write_text("SECRET_KEY=the-deployment-key\nALLOWED_HOSTS=stats.example.org\n")
    result = subprocess.run(
        ["docker-compose", "config"], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=True
    )
    return yaml.safe_load(result.stdout)["services"]


def test_the_app_reads_deploy_env_and_never_the_development_env(resolved):
    for name in APP_SERVICES:
        environment = resolved[name]["environment"]
        assert environment["SECRET_KEY"] == "the-deployment-key", name
        assert environment["DEBUG"] == "false", name
        assert environment["DJANGO_ENV_FILE"] == "", name


def test_migrations_run_once_before_web_worker_and_beat(resolved):
    assert resolved["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert resolved["migrate"]["restart"] == "no"
    for name in ["web", "worker", "beat"]:
        assert resolved[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert "migrate" not in " ".join(resolved[name].get("command", [])), name


def test_web_worker_and_beat_have_healthchecks(resolved):
    for name in ["web", "worker", "beat"]:
        assert resolved[name]["healthcheck"]["test"], name
    assert "inspect ping" in " ".join(resolved["worker"]["healthcheck"]["test"])


def test_without_deploy_env_the_compose_file_is_refused(tmp_path):
    shutil.copy(BASE_DIR / "docker-compose.yml", tmp_path)
    (tmp_path / ".env").write_text("SECRET_KEY=development-key\n")

    result = subprocess.run(
        ["docker-compose", "config"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )

    assert result.returncode != 0
    assert "deploy.env" in result.stderr


def test_only_the_proxy_is_published_and_it_sends_to_gunicorn(resolved):
    assert [str(port["published"]) for port in resolved["proxy"]["ports"]] == ["8000"]
    assert resolved["proxy"]["build"]["target"] == "proxy"
    assert resolved["proxy"]["environment"]["APP_UPSTREAM"] == "web:8000"
    assert "ports" not in resolved["web"]
    # web runs the image's own command, the one config/tests/test_proxy.py starts behind nginx.
    assert "command" not in resolved["web"]
    for name in APP_SERVICES:
        assert resolved[name]["build"]["target"] == "app", name


def test_workers_and_beats_can_be_scaled_out(resolved):
    # `docker compose up --scale worker=N`: replicas need no fixed container name or host port, and each
    # worker's healthcheck pings its own node (celery@<its container's hostname>; $$ is compose's escape).
    for name in ["worker", "beat"]:
        assert "container_name" not in resolved[name], name
        assert "ports" not in resolved[name], name
    assert "celery@$$HOSTNAME" in " ".join(resolved["worker"]["healthcheck"]["test"])
    # Beats beyond the first stand by (config/beat.py): the scheduler comes from the Celery app, not a flag.
    assert "--scheduler" not in resolved["beat"]["command"] and "-S" not in resolved["beat"]["command"]
