"""Security through a real Jupyter server and jupyter-server-proxy (issue 16).

- The service's unix socket is the user's alone.
- Requests without the token or cookie never reach the service: the panel API,
  uploads from the computer and the event stream.
- Cookie requests without the XSRF token, and cross-site ones, are refused.
- No AWS secret key or session token in any answer of this module or in the
  Jupyter log (which holds the service's own log): the server runs with
  made-up credentials, and the last test searches everything recorded.
"""

from __future__ import annotations

import base64
import secrets
import stat
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from .conftest import start_jupyter
from .test_proxy import cookie_session

SECRET = "eosSecretKey" + secrets.token_hex(16)
SESSION = "eosSessionToken" + secrets.token_hex(32)
ANSWERS: list[str] = []


@pytest.fixture(scope="module")
def jupyter(s3, tmp_path_factory):
    env = {"AWS_SECRET_ACCESS_KEY": SECRET, "AWS_SESSION_TOKEN": SESSION}
    server = start_jupyter(tmp_path_factory.mktemp("jupyter-security"), s3, env=env)
    yield server
    server.stop()


def record(r: requests.Response) -> requests.Response:
    ANSWERS.append(f"{r.status_code} {dict(r.headers)} {r.text}")
    return r


def service_lines(jupyter, path: str) -> list[str]:
    """The service's own log lines for requests to `path`."""
    return [ln for ln in jupyter.log.read_text().splitlines() if "eos-service: " in ln and f" {path} " in ln]


def test_socket_is_readable_only_by_the_user(jupyter):
    assert record(jupyter.get("eos/api/whoami")).status_code == 200
    node = jupyter.service_process()
    (sock,) = {c.laddr for c in node.net_connections(kind="unix") if c.laddr}
    assert stat.S_IMODE(Path(sock).stat().st_mode) == 0o600
    assert stat.S_IMODE(Path(sock).parent.stat().st_mode) == 0o700
    assert Path(sock).stat().st_uid == Path(sock).parent.stat().st_uid


NO_CREDENTIALS = [
    ("GET", "eos/api/events", {"Accept": "text/event-stream"}, None),
    ("POST", "eos/api/uploads", {}, {"files": [{"destination": "e://users/me/u.txt", "size": 1}]}),
    ("PUT", "eos/api/uploads/part?id=x&n=1", {"Content-Type": "application/octet-stream"}, b"x"),
    ("POST", "eos/api/presign", {}, {"uri": "e://org/README.txt"}),
    ("POST", "eos/api/delete", {}, {"uris": ["e://users/me/project-1/README.md"]}),
    ("GET", "eos/api/list?uri=e://users/me/", {}, None),
]


@pytest.mark.parametrize("auth", ["none", "a wrong token", "a wrong cookie"])
@pytest.mark.parametrize("method,path,headers,body", NO_CREDENTIALS, ids=[f"{m} {p}" for m, p, _, _ in NO_CREDENTIALS])
def test_no_credentials_never_reach_the_service(jupyter, auth, method, path, headers, body):
    extra = {"none": {}, "a wrong token": {"Authorization": "token wrong"}, "a wrong cookie": {"Cookie": "_xsrf=x; username-127-0-0-1-8888=forged"}}[auth]
    route = path.split("?")[0].removeprefix("eos")
    before = len(service_lines(jupyter, route))
    kw = {"json": body} if isinstance(body, dict) else {"data": body}
    r = record(requests.request(method, jupyter.url + path, headers={**headers, **extra}, allow_redirects=False, timeout=30, **kw))
    assert r.status_code in (302, 403), (r.status_code, r.text)
    assert '"code"' not in r.text
    assert len(service_lines(jupyter, route)) == before, "the request reached the service"


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("POST", "eos/api/uploads", {"files": [{"destination": "e://users/me/u.txt", "size": 1}]}),
        ("PUT", "eos/api/uploads/part?id=x&n=1", b"x"),
        ("POST", "eos/api/changed", {"written": ["e://users/me/"], "removed": []}),
        ("POST", "eos/api/delete", {"uris": ["e://users/me/project-1/README.md"]}),
    ],
)
def test_cookie_requests_without_xsrf_are_refused(jupyter, method, path, body):
    session, xsrf = cookie_session(jupyter)
    for headers in ({}, {"X-XSRFToken": xsrf + "x"}):
        if isinstance(body, dict):
            r = session.request(method, jupyter.url + path, json=body, headers=headers, timeout=30)
        else:
            headers = {**headers, "Content-Type": "application/octet-stream"}
            r = session.request(method, jupyter.url + path, data=body, headers=headers, timeout=30)
        record(r)
        assert r.status_code == 403 and r.json()["code"] == "Forbidden", r.text
    # The object the delete named is still there.
    assert record(jupyter.get("eos/api/stat", params={"uri": "e://users/me/project-1/README.md"})).status_code == 200


def test_cross_site_event_stream_is_refused(jupyter):
    session, _ = cookie_session(jupyter)
    headers = {"Accept": "text/event-stream", "Sec-Fetch-Site": "cross-site"}
    r = record(session.get(jupyter.url + "eos/api/events", headers=headers, timeout=30, stream=True))
    assert r.status_code == 403
    assert "Cross-site" in r.text


def test_answers_in_error_and_success(jupyter):
    """Answers that could carry a secret: S3 errors, presigned URLs, content."""
    for params in ({"uri": "e://users/me/"}, {"uri": "e://org/no-such-folder/"}, {"uri": "e://nope/"}):
        record(jupyter.get("eos/api/list", params=params))
    record(jupyter.get("eos/api/stat", params={"uri": "e://org/no-such-object.txt"}))
    record(jupyter.get("eos/api/content", params={"uri": "e://users/me/project-1/README.md"}))
    token = {"Authorization": f"token {jupyter.token}"}
    for body in ({"uri": "e://users/me/project-1/README.md"}, {"uri": "e://org/missing.txt", "download": True}, {"uri": "e:/bad"}):
        record(requests.post(jupyter.url + "eos/api/presign", json=body, headers=token, timeout=30))
    assert any("X-Amz-Security-Token" in a for a in ANSWERS), "a presigned URL was answered"


def leaks(text: str) -> list[str]:
    rest = text.replace(f"X-Amz-Security-Token={quote(SESSION, safe='')}", "")
    forms = [f for s in (SECRET, SESSION) for f in (s, quote(s, safe=""), base64.b64encode(s.encode()).decode())]
    return [f for f in forms if f in rest]


def test_no_secret_in_any_answer_or_the_log(jupyter):
    """Last in the module: everything the tests above were answered, and the whole log."""
    assert len(ANSWERS) > 30
    assert leaks("\n".join(ANSWERS)) == []
    log = jupyter.log.read_text()
    # The service logs every request it gets there (so the checks above on its lines can see one).
    assert service_lines(jupyter, "/api/presign")
    assert leaks(log) == []
