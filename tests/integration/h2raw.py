"""h2raw.py - a minimal HTTP/2 client over a plain socket for hostile tests: it writes frames exactly as
told (floods, resets, oversized header blocks) where a well-behaved client library would refuse.
HPACK is written with literal fields only (no Huffman, no dynamic table)."""

import socket
import struct

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE, CONTINUATION = 0, 1, 3, 4, 6, 7, 8, 9
END_STREAM, END_HEADERS, ACK = 0x1, 0x4, 0x1
SETTINGS_INITIAL_WINDOW_SIZE = 0x4


def window_update(stream, increment):
    return frame(WINDOW_UPDATE, 0, stream, struct.pack(">I", increment))


def frame(kind, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + struct.pack(">BBI", kind, flags, stream) + payload


def hpack_int(value, prefix_bits, first_byte=0):
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([first_byte | value])
    out = bytearray([first_byte | limit])
    value -= limit
    while value >= 128:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def literal(name, value):
    """A literal header field without indexing, with a literal name."""
    name, value = name.encode(), value.encode() if isinstance(value, str) else value
    return b"\x00" + hpack_int(len(name), 7) + name + hpack_int(len(value), 7) + value


def request_block(path, authority="127.0.0.1", method="GET", extra=(), scheme="http"):
    block = literal(":method", method) + literal(":scheme", scheme) + literal(":path", path)
    block += literal(":authority", authority)
    for name, value in extra:
        block += literal(name, value)
    return block


STATIC_STATUS = {0x88: 200, 0x89: 204, 0x8A: 206, 0x8B: 304, 0x8C: 400, 0x8D: 404, 0x8E: 500}


def response_status(block):
    """The :status of a response header block, which servers send first: an indexed field of the
    static table, or a literal whose name is static entry 8 (":status")."""
    first = block[0]
    if first in STATIC_STATUS:
        return STATIC_STATUS[first]
    if ((first & 0xF0) in (0x00, 0x10) and (first & 0x0F) == 8) or ((first & 0xC0) == 0x40 and (first & 0x3F) == 8):
        length = block[1] & 0x7F
        return int(block[2:2 + length])
    raise ValueError("no :status first in %r" % block[:8])


class Connection:
    def __init__(self, port, timeout=10, settings=()):
        """Connects and sends the preface and SETTINGS with (identifier, value) pairs."""
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        payload = b"".join(struct.pack(">HI", ident, value) for ident, value in settings)
        self.sock.sendall(PREFACE + frame(SETTINGS, 0, 0, payload))
        self.buf = b""
        self.next_stream = 1

    def send(self, data):
        self.sock.sendall(data)

    def new_stream(self):
        sid = self.next_stream
        self.next_stream += 2
        return sid

    def headers(self, sid, block, end_stream=True, max_frame=16384):
        """HEADERS (and CONTINUATION frames when the block is larger than one frame)."""
        chunks = [block[i:i + max_frame] for i in range(0, len(block), max_frame)] or [b""]
        out = b""
        for i, chunk in enumerate(chunks):
            flags = (END_STREAM if end_stream and i == 0 else 0) | (END_HEADERS if i == len(chunks) - 1 else 0)
            out += frame(HEADERS if i == 0 else CONTINUATION, flags, sid, chunk)
        return out

    def read_frame(self):
        """The next frame as (type, flags, stream, payload), or None when the server closed."""
        while len(self.buf) < 9 or len(self.buf) < 9 + struct.unpack(">I", b"\0" + self.buf[:3])[0]:
            try:
                data = self.sock.recv(65536)
            except ConnectionResetError:
                return None
            if not data:
                return None
            self.buf += data
        length = struct.unpack(">I", b"\0" + self.buf[:3])[0]
        kind, flags, sid = struct.unpack(">BBI", self.buf[3:9])
        payload = self.buf[9:9 + length]
        self.buf = self.buf[9 + length:]
        return kind, flags, sid & 0x7FFFFFFF, payload

    def frames_until(self, predicate, limit=100000):
        """Reads frames (acking SETTINGS) until predicate(frame) holds; returns it, or None on close."""
        for _ in range(limit):
            f = self.read_frame()
            if f is None or predicate(f):
                return f
            if f[0] == SETTINGS and not f[1] & ACK:
                try:
                    self.send(frame(SETTINGS, ACK, 0))
                except OSError:
                    pass  # the server may already have closed its end
        return None

    def close(self):
        self.sock.close()
