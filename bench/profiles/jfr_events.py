"""A flight recording's events, as the JDK's `jfr print --json` gives them (the `jfr` tool must be on the PATH).

Shared by the scripts here that read the benchmark's recordings (jit_share.py, jit_compiles.py).
"""
import json
import subprocess


def events(path, types):
    """The events of `types` (event names such as jdk.CPULoad) in the recording at `path`: a list of dicts with
    `type` and `values`. Raises CalledProcessError when `jfr` cannot read the file."""
    out = subprocess.run(["jfr", "print", "--json", "--events", ",".join(types), path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]
