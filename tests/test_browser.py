"""Issue 11: headless Chromium (Debian's package) submits the query page's form.

Chromium is driven through its DevTools protocol over a WebSocket (a minimal client below,
standard library only): the test clicks the page's Run button, which submits the form, and
waits until the page shows a result table with the IAPs in it.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest


class DevTools:
    """Just enough of a WebSocket client to send DevTools commands and read the answers."""

    def __init__(self, url: str):
        where = urlsplit(url)
        self.sock = socket.create_connection((where.hostname, where.port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {where.path} HTTP/1.1\r\nHost: {where.netloc}\r\n"
                           "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
                          .encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        assert b" 101 " in head.split(b"\r\n")[0], head
        self.next_id = 0

    def _read(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            data += chunk
        return data

    def _frame(self) -> tuple[int, bytes]:
        first, second = self._read(2)
        length = second & 0x7F
        if length == 126:
            length = struct.unpack(">H", self._read(2))[0]
        elif length == 127:
            length = struct.unpack(">Q", self._read(8))[0]
        return first, self._read(length)

    def call(self, method: str, **params: object) -> dict:
        self.next_id += 1
        payload = json.dumps({"id": self.next_id, "method": method, "params": params}).encode()
        mask = os.urandom(4)
        header = bytes([0x81])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        else:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(payload))
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)
        message = b""
        while True:
            first, data = self._frame()
            message += data
            if not first & 0x80:
                continue
            reply = json.loads(message)
            message = b""
            if reply.get("id") == self.next_id:
                return reply

    def evaluate(self, expression: str) -> object:
        reply = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                          awaitPromise=True)
        return reply["result"]["result"].get("value")

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory):
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("Debian's chromium is not installed (scripts/system-deps.sh installs it)")
    profile = tmp_path_factory.mktemp("chromium")
    process = subprocess.Popen(
        [path, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = Path(profile) / "DevToolsActivePort"
    deadline = time.time() + 60
    while not port_file.exists() or not port_file.read_text().strip():
        if time.time() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail("chromium did not open its DevTools port")
        time.sleep(0.1)
    port = int(port_file.read_text().split()[0])
    yield port
    process.terminate()
    process.wait(20)


def test_the_query_page_form_shows_a_result_table(chromium: int, endpoint: str) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{chromium}/json/list", timeout=10) as r:
        page = next(t for t in json.load(r) if t["type"] == "page")
    tools = DevTools(page["webSocketDebuggerUrl"])
    try:
        tools.call("Page.enable")
        tools.call("Page.navigate", url=endpoint + "/")
        deadline = time.time() + 30
        while tools.evaluate("document.readyState + !!document.querySelector('button')") \
                != "completetrue":
            assert time.time() < deadline, "the query page did not load"
            time.sleep(0.1)
        tools.evaluate("document.querySelector('form button').click()")
        deadline = time.time() + 60
        rows = None
        while rows is None:
            rows = tools.evaluate(
                "(() => { const t = document.querySelector('#out table');"
                " return t ? [...t.rows].map(r => [...r.cells].map(c => c.textContent)) : null"
                " })()")
            if rows is None:
                assert time.time() < deadline, tools.evaluate("document.body.innerText")
                time.sleep(0.2)
    finally:
        tools.close()
    assert rows[0] == ["iap", "label"]
    labels = {row[1] for row in rows[1:]}
    assert {"XIAP", "cIAP1", "cIAP2", "survivin"} <= labels, rows
