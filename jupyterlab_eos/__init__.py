"""jupyterlab-eos: Gencove Explorer EOS storage in JupyterLab.

The Python package is a packaging shim. It ships the prebuilt labextension and
the bundled Node service, registers the service with jupyter-server-proxy
(entry point ``jupyter_serverproxy_servers: eos``) and, as a small server
extension, hands the service the server's root directory and ``EOS`` config
and places the kernels of documents opened from EOS (``kernels.py``).
"""

from __future__ import annotations

try:
    from ._version import __version__
except ImportError:  # pragma: no cover - only before the first build
    __version__ = "0.0.0.dev0"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "jupyterlab-eos"}]


def _jupyter_server_extension_points():
    return [{"module": "jupyterlab_eos"}]


def _load_jupyter_server_extension(serverapp):
    """Remember the server so the proxied service gets its root dir and config."""
    from .config import remember_server, root_dir
    from .kernels import place_eos_kernels

    remember_server(serverapp)
    place_eos_kernels(serverapp)
    # Terminals opened in JupyterLab inherit this: `eos` there confines local paths as the panel does.
    import os

    os.environ.setdefault("EOS_ROOT_DIR", root_dir())
    serverapp.log.info("jupyterlab-eos %s: service at %seos/ (root %s)", __version__, serverapp.base_url, serverapp.root_dir)
