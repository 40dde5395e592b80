"""Where the kernels of documents opened from EOS run.

JupyterLab starts a document's kernel in the folder of its session's path: for
``EOS:org/run-7/x.ipynb`` that is ``EOS:org/run-7``, which is no folder of the
server's disk, so Jupyter walks up to its root. The server asks its contents
manager for that folder (``get_kernel_path``, the hook Jupyter gives contents
managers for it); for paths of the EOS drive this answers the ``kernelFolder``
setting of the open plugin instead (a folder relative to the Jupyter root; ""
is the root). The setting is read from the user's JupyterLab settings when
such a kernel starts, so a change applies to the next kernel at once. Restarts
keep their folder; a kernel changed with "Change Kernel" starts there too.
"""

from __future__ import annotations

import posixpath
from typing import Any

DRIVE_PREFIX = "EOS:"
PLUGIN_ID = "jupyterlab-eos:open"
SETTING = "kernelFolder"


def clean_folder(folder: Any) -> str | None:
    """The setting as an API path inside the root ("" for the root), or None when it is no such path."""
    if not isinstance(folder, str):
        return None
    parts = [p for p in folder.strip().replace("\\", "/").split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts) or folder.strip().startswith("/"):
        return None
    return posixpath.join(*parts) if parts else ""


def _lab_app(serverapp):
    point = serverapp.extension_manager.extension_points.get("lab")
    return point.app if point is not None else None


def kernel_folder(serverapp) -> str:
    """The folder the setting names ("" when unset, unreadable or outside the root: the root)."""
    lab = _lab_app(serverapp)
    if lab is None:
        return ""
    from jupyterlab_server.settings_utils import get_settings

    try:
        result, warnings = get_settings(
            lab.app_settings_dir,
            lab.schemas_dir,
            lab.user_settings_dir,
            schema_name=PLUGIN_ID,
            labextensions_path=[*lab.extra_labextensions_path, *lab.labextensions_path],
        )
        default = result["schema"].get("properties", {}).get(SETTING, {}).get("default", "")
        value = (result.get("settings") or {}).get(SETTING, default)
        for warning in filter(None, warnings):
            serverapp.log.warning("jupyterlab-eos: %s", warning)
    except Exception as err:  # noqa: BLE001 - a broken settings file must not stop kernels
        serverapp.log.warning("jupyterlab-eos: %s could not be read (%s); kernels start in the root", SETTING, err)
        return ""
    folder = clean_folder(value)
    if folder is None:
        serverapp.log.warning("jupyterlab-eos: %s %r is not a folder inside the root; using the root", SETTING, value)
        return ""
    return folder


def place_eos_kernels(serverapp) -> None:
    """Make the contents manager answer the setting as the kernel folder of EOS documents."""
    contents = serverapp.contents_manager
    original = contents.get_kernel_path

    def get_kernel_path(path, model=None):
        if path.lstrip("/").startswith(DRIVE_PREFIX):
            return kernel_folder(serverapp)
        return original(path, model=model)

    contents.get_kernel_path = get_kernel_path
