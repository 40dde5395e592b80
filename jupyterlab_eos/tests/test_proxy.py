"""The shim end to end: a real Jupyter server proxies the real service to a real S3."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import psutil
import pytest
import requests

from devtools.checks import assert_extension_enabled

from .conftest import start_jupyter


def cookie_session(server) -> tuple[requests.Session, str]:
    """Log in with the token the way a browser does: cookies, no token afterwards."""
    s = requests.Session()
    s.get(server.url + "login", timeout=30).raise_for_status()
    xsrf = s.cookies.get("_xsrf")
    assert xsrf, "the login page sets the _xsrf cookie"
    r = s.post(server.url + "login", data={"password": server.token, "_xsrf": xsrf}, allow_redirects=False, timeout=30)
    assert r.status_code in (302, 303), r.text
    return s, xsrf


def test_entry_point_is_registered():
    from importlib.metadata import entry_points

    (ep,) = [ep for ep in entry_points(group="jupyter_serverproxy_servers") if ep.name == "eos"]
    spec = ep.load()()
    assert spec["unix_socket"] is True
    assert spec["launcher_entry"] == {"enabled": False}
    cmd = spec["command"]("/tmp/x/socket")
    # node, its V8 flags (a small young generation: peak RSS), the bundle, the socket.
    assert cmd[1] == "--max-semi-space-size=2"
    assert cmd[2].endswith("eos-service.cjs") and cmd[3:] == ["--socket", "/tmp/x/socket"]
    assert os.access(cmd[0], os.X_OK), f"node at {cmd[0]} is executable"


def test_extension_is_listed_and_enabled():
    assert_extension_enabled(sys.executable)


def test_authenticated_request_reaches_service(jupyter, s3):
    r = jupyter.get("eos/api/whoami")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["userId"] == s3["userId"]
    assert body["orgBucket"] == s3["orgBucket"]
    assert [n["name"] for n in body["namespaces"]] == ["users", "org", "gencove"]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_request_without_credentials_is_refused(jupyter, method):
    r = requests.request(
        method, jupyter.url + "eos/api/whoami", allow_redirects=False, timeout=30, json={} if method == "POST" else None
    )
    assert r.status_code in (302, 403), (r.status_code, r.text)
    assert "userId" not in r.text
    r = requests.get(jupyter.url + "eos/api/list", params={"uri": "e://users/me/"}, headers={"Authorization": "token wrong"}, allow_redirects=False, timeout=30)
    assert r.status_code in (302, 403)
    assert "entries" not in r.text


def test_no_auth_warnings_with_unauthenticated_access_disallowed(jupyter):
    log = jupyter.log.read_text()
    bad = [ln for ln in log.splitlines() if "eos" in ln.lower() and ("authenticat" in ln.lower() or "WARNING" in ln)]
    assert not bad, bad


def test_root_dir_is_handed_to_the_service(jupyter):
    r = jupyter.get("eos/api/disk")
    assert r.status_code == 200, r.text
    disk = r.json()
    assert disk["root"] == os.path.realpath(jupyter.root)
    fs = os.statvfs(jupyter.root)
    assert disk["total"] == fs.f_blocks * fs.f_frsize
    assert 0 < disk["free"] <= disk["total"]


def test_non_get_needs_xsrf_token(jupyter, s3):
    session, xsrf = cookie_session(jupyter)
    uri = "e://users/me/project-1/README.md"
    # cookie-authenticated GET works
    assert session.get(jupyter.url + "eos/api/stat", params={"uri": uri}, timeout=30).status_code == 200
    # cookie-authenticated POST without the header: refused by the service
    r = session.post(jupyter.url + "eos/api/presign", json={"uri": uri}, timeout=30)
    assert r.status_code == 403 and r.json()["code"] == "Forbidden", r.text
    r = session.post(jupyter.url + "eos/api/presign", json={"uri": uri}, headers={"X-XSRFToken": xsrf + "x"}, timeout=30)
    assert r.status_code == 403 and r.json()["code"] == "Forbidden", r.text
    # ... with the header matching the cookie: accepted, and the URL really serves the object
    r = session.post(jupyter.url + "eos/api/presign", json={"uri": uri}, headers={"X-XSRFToken": xsrf}, timeout=30)
    assert r.status_code == 200, r.text
    presigned = r.json()
    assert presigned["expiresIn"] == 48 * 3600 and presigned["limitedBy"] == "request"
    assert requests.get(presigned["url"], timeout=30).content == b"# Project 1\n\nPaired-end reads of sample 1.\n"
    # a cross-site request is refused even with the token
    r = session.post(
        jupyter.url + "eos/api/presign",
        json={"uri": uri},
        headers={"X-XSRFToken": xsrf, "Sec-Fetch-Site": "cross-site"},
        timeout=30,
    )
    assert r.status_code == 403


def test_token_header_post_needs_no_xsrf(jupyter):
    r = requests.post(
        jupyter.url + "eos/api/presign",
        json={"uri": "e://org/README.txt", "expiresIn": 600},
        headers={"Authorization": f"token {jupyter.token}"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    assert r.json()["expiresIn"] == 600


def test_odd_keys_survive_the_proxy(jupyter, s3):
    """Keys travel in query strings; the proxy must not mangle %, #, ?, + or unicode."""
    r = jupyter.get("eos/api/list", params={"uri": "e://users/me/odd names/"})
    assert r.status_code == 200, r.text
    names = {e["name"] for e in r.json()["entries"]}
    for name in ["hash#tag.txt", "question?mark.txt", "percent%20literal.txt", "plus+sign.txt", "emoji-\U0001f9ec.txt"]:
        assert name in names
        st = jupyter.get("eos/api/stat", params={"uri": f"e://users/me/odd names/{name}"})
        assert st.status_code == 200 and st.json()["size"] == len(f"odd key: {name}\n".encode())


def test_files_written_by_aws_cli_are_listed(jupyter, s3, tmp_path):
    """A real client's upload shows up, key for key."""
    aws = Path(sys.executable).with_name("aws")
    src = tmp_path / "local.txt"
    src.write_bytes(b"from aws-cli\n")
    key = f"users/{s3['userId']}/files/from-aws-cli/r\u00e9sultat #1 (final)+v2.txt"
    subprocess.run(
        [str(aws), "--endpoint-url", s3["endpoint"], "s3", "cp", str(src), f"s3://{s3['orgBucket']}/{key}"],
        check=True,
        env={**jupyter.env},
        capture_output=True,
    )
    r = jupyter.get("eos/api/list", params={"uri": f"s3://{s3['orgBucket']}/users/{s3['userId']}/files/from-aws-cli/"})
    assert r.status_code == 200, r.text
    (entry,) = r.json()["entries"]
    assert entry["name"] == "r\u00e9sultat #1 (final)+v2.txt" and entry["size"] == 13
    assert entry["uri"] == "e://users/me/from-aws-cli/r\u00e9sultat #1 (final)+v2.txt"


def test_service_listens_on_a_private_unix_socket_only(jupyter):
    assert jupyter.get("eos/api/whoami").status_code == 200
    node = jupyter.service_process()
    assert [c for c in node.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN] == []
    sockets = [c.laddr for c in node.net_connections(kind="unix") if c.laddr]
    assert sockets, "the service listens on a unix socket"
    sock_dir = Path(sockets[0]).parent
    assert stat.S_IMODE(sock_dir.stat().st_mode) == 0o700


def test_jupyter_config_overrides_environment(s3, tmp_path):
    server = start_jupyter(tmp_path, s3, args=["--EOS.org_bucket=gencove-explorer-override1", "--EOS.disk_limit_gb=50"])
    try:
        who = server.get("eos/api/whoami").json()
        assert who["orgBucket"] == "gencove-explorer-override1"
        assert server.get("eos/api/disk").json()["limit"] == 50 * 1000**3
        r = server.get("eos/api/list", params={"uri": "e://org/"})
        assert r.status_code == 404 and "gencove-explorer-override1" in r.json()["message"]
    finally:
        server.stop()


def test_service_stops_with_the_server(s3, tmp_path):
    server = start_jupyter(tmp_path, s3)
    assert server.get("eos/api/whoami").status_code == 200
    node = server.service_process()
    server.stop()
    try:
        node.wait(15)
    except psutil.TimeoutExpired:
        pytest.fail("the EOS service outlived the Jupyter server")


def test_missing_ids_give_a_clear_error(s3, tmp_path):
    server = start_jupyter(tmp_path, s3, env={"GENCOVE_USER_ID": "", "GENCOVE_ORGANIZATION_ID": ""})
    try:
        r = server.get("eos/api/whoami")
        assert r.status_code == 503
        assert r.json()["code"] == "NotConfigured" and "GENCOVE_USER_ID" in r.json()["message"]
    finally:
        server.stop()
