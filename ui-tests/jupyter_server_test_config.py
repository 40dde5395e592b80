"""Server configuration for the Galata browser tests (started by devtools.demo --galata)."""

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821
