"""CLI cold start: median wall time of ``triage --help`` and ``triage --demo tickets --json``,
next to ``python -c pass`` measured in the same run as the baseline.

Usage: ``python bench/cli_startup.py [--runs N]`` (from the project's venv).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def triage_command() -> list[str]:
    script = Path(sys.executable).with_name("triage")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui"]


def median_seconds(command: list[str], runs: int) -> float:
    # An installed triage has its bytecode compiled; so bytecode may be written here (even
    # when the shell forbids it) and one unmeasured run warms the caches.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env
    )
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env
        )
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=10, help="runs per command (default 10)")
    args = parser.parse_args()
    triage = triage_command()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "triage --help": [*triage, "--help"],
        "triage --demo tickets --json": [*triage, "--demo", "tickets", "--json"],
    }
    results = {name: median_seconds(command, args.runs) for name, command in commands.items()}
    baseline = results["python -c pass"]
    print(f"median of {args.runs} runs each")
    for name, seconds in results.items():
        print(f"{name:<32}{seconds * 1000:8.0f} ms  {seconds / baseline:6.1f}x baseline")


if __name__ == "__main__":
    main()
