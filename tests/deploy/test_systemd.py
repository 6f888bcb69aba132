"""deploy/systemd: each unit passes `systemd-analyze verify` (against a root that holds
the units where they are installed, and a stand-in for the installed command), restarts
on failure, runs as the dedicated user with a read-only system and the environment file,
and starts a command line that Wegwijs' own CLI accepts."""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import typer
import yaml

from bot.cli import app

UNITS = Path(__file__).resolve().parents[2] / "deploy" / "systemd"
SYSTEM_UNITS = Path("/lib/systemd/system")
COMMAND = "/opt/wegwijs/.venv/bin/wegwijs"


def units() -> list[Path]:
    return sorted(UNITS.glob("*.service"))


def service(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path)
    return parser["Service"]


def instance(path: Path) -> str:
    """A template is verified as its first instance (wegwijs-webhook@1.service)."""
    return path.name.replace("@.", "@1.")


def test_the_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None or not SYSTEM_UNITS.is_dir():
        pytest.skip(
            "systemd-analyze is not installed and could not be: `make deploy-tools` (as root) "
            "installs Debian's systemd; elsewhere `sudo apt-get install systemd`"
        )
    root = tmp_path / "root"
    shutil.copytree(SYSTEM_UNITS, root / "usr/lib/systemd/system", symlinks=True)
    installed = root / "etc/systemd/system"
    installed.mkdir(parents=True)
    for unit in units():
        shutil.copyfile(unit, installed / unit.name)
        if "@." in unit.name:
            (installed / instance(unit)).symlink_to(unit.name)
    command = root / COMMAND.lstrip("/")
    command.parent.mkdir(parents=True)
    command.write_text("#!/bin/sh\n")
    command.chmod(0o755)
    names = [f"/etc/systemd/system/{instance(unit)}" for unit in units()]
    verify = subprocess.run(
        ["systemd-analyze", "verify", f"--root={root}", *names],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    # verify exits 0 on a misspelt key or value, but says so: nothing may be said.
    assert (verify.returncode, verify.stdout + verify.stderr) == (0, "")


def test_each_unit_restarts_as_its_own_user_on_a_read_only_system() -> None:
    names = {unit.name for unit in units()}
    assert {
        "wegwijs-webhook@.service",
        "wegwijs-worker.service",
        "wegwijs-dashboard.service",
    } <= names
    for unit in units():
        settings = service(unit)
        assert settings["Restart"] == "on-failure", unit.name
        assert (settings["User"], settings["Group"]) == ("wegwijs", "wegwijs"), unit.name
        assert settings["ProtectSystem"] == "strict", unit.name
        assert settings["EnvironmentFile"] == "/etc/wegwijs/wegwijs.env", unit.name
        assert settings["StateDirectory"] == "wegwijs", unit.name  # its only writable place


def test_each_unit_starts_a_command_line_wegwijs_accepts() -> None:
    cli = typer.main.get_command(app)
    for unit in units():
        words = shlex.split(service(unit)["ExecStart"].replace("%i", "1"))
        assert words[0] == COMMAND, unit.name
        context = cli.make_context("wegwijs", words[1:], resilient_parsing=False)
        subcommand = cli.get_command(context, words[1])  # type: ignore[attr-defined]
        assert subcommand is not None, unit.name
        subcommand.make_context(words[1], words[2:])  # raises on an unknown option
        assert "--metrics" in words, unit.name  # every process is a Prometheus target


def test_prometheus_and_caddy_scrape_the_ports_the_units_serve_metrics_on() -> None:
    """deploy/prometheus and the Caddyfile's internal site name the same ports as the
    units' --metrics (the template's first two instances)."""
    served = set()
    for unit in units():
        words = shlex.split(service(unit)["ExecStart"])
        address = words[words.index("--metrics") + 1]
        for number in ("1", "2") if "%i" in address else ("",):
            served.add(address.replace("%i", number))
    scrape = yaml.safe_load((UNITS.parent / "prometheus" / "wegwijs.yml").read_text())
    targets = {
        target
        for group in scrape["scrape_configs"][0]["static_configs"]
        for target in group["targets"]
    }
    assert targets == served
    caddyfile = (UNITS.parent / "Caddyfile").read_text()
    proxied = set(re.findall(r"reverse_proxy (127\.0\.0\.1:9\d{3})", caddyfile))
    assert proxied == served
