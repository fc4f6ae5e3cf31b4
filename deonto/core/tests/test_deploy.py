"""The production configuration passes Django's deployment checklist."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEONTO_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="deonto.settings",
        DEONTO_ENV_FILE="",
        DEONTO_SECRET_KEY="p" * 20 + "-production-secret-key-of-sufficient-length-and-variety-0123456789",
        DEONTO_ALLOWED_HOSTS="deonto.example.org",
        DEONTO_EVIDENCE_KEYS="k1:" + base64.b64encode(os.urandom(32)).decode(),
        **extra,
    )
    return env


def test_check_deploy_reports_nothing_under_the_production_settings() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = _production_env()
    del env["DEONTO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "DEONTO_SECRET_KEY" in result.stderr
