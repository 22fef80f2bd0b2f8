"""httpc.py - a minimal HTTP/1.1 keep-alive client on asyncio streams, for the gateway's API: requests with a
Content-Length body, responses with Content-Length or chunked bodies; dev sign-in; the import API."""

import asyncio
import json
import urllib.parse


class HTTPError(Exception):
    pass


class Conn:
    """One keep-alive connection; one request at a time."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self

    def close(self):
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    async def request(self, method, path, headers=(), body=b""):
        """(status, {lower-case name: value}, body bytes); reconnects once if the server closed the
        connection between requests."""
        for attempt in (0, 1):
            if self.writer is None:
                await self.open()
            head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
            head += [f"{k}: {v}" for k, v in headers]
            if body or method == "POST":
                head.append(f"Content-Length: {len(body)}")
            self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
            try:
                return await self._response()
            except (asyncio.IncompleteReadError, ConnectionError):
                self.close()
                if attempt:
                    raise
        raise HTTPError("unreachable")

    async def _response(self):
        line = await self.reader.readuntil(b"\r\n")
        parts = line.decode("latin-1").split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/"):
            raise HTTPError(f"bad status line {line[:80]!r}")
        status = int(parts[1])
        headers = {}
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            k, _, v = line.decode("latin-1").partition(":")
            k = k.strip().lower()
            v = v.strip()
            headers[k] = headers[k] + ", " + v if k in headers and k != "set-cookie" else v
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    break
                chunks.append(await self.reader.readexactly(size + 2))
            data = b"".join(c[:-2] for c in chunks)
        else:
            data = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, data


async def signin(conn, name):
    """Dev sign-in as name; returns the Cookie header value ("labgate_session=...")."""
    body = urllib.parse.urlencode({"name": name, "next": "/"}).encode()
    status, headers, data = await conn.request("POST", "/signin",
                                               [("Content-Type", "application/x-www-form-urlencoded")], body)
    cookie = headers.get("set-cookie", "")
    if status != 303 or not cookie:
        raise HTTPError(f"sign-in of {name} answered {status}: {data[:200]!r}")
    return cookie.split(";", 1)[0]


async def post_import(conn, cookie, url, mode="notebook"):
    """POST /api/v1/imports; returns (status, JSON answer or None, raw body)."""
    body = json.dumps({"url": url, "mode": mode}).encode()
    status, _, data = await conn.request("POST", "/api/v1/imports",
                                         [("Cookie", cookie), ("Content-Type", "application/json")], body)
    try:
        doc = json.loads(data)
    except ValueError:
        doc = None
    return status, doc, data
