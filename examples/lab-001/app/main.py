"""The lab's Flask + Redis hit counter (LAB04, copied from Lab03)."""

import os
import socket

from flask import Flask

app = Flask(__name__)


class Redis:
    """The one Redis command the hit counter needs, INCR, over Redis's wire protocol (RESP).

    redis-py is the usual client, but it cannot be installed on this machine's
    CPython 3.11.2: on Pythons before 3.11.3 it requires async-timeout, which the
    offline package index does not carry. Everything else is as the lab has it:
    a real Redis server, reached over the network, counts the hits.
    """

    def __init__(self, host, port, timeout=3.0):
        self.address = (host, port)
        self.timeout = timeout

    def incr(self, key):
        name = key.encode()
        with socket.create_connection(self.address, timeout=self.timeout) as sock:
            sock.sendall(b"*2\r\n$4\r\nINCR\r\n$%d\r\n%s\r\n" % (len(name), name))
            reply = sock.makefile("rb").readline()
        if not reply.startswith(b":"):
            raise RuntimeError(f"unexpected reply from Redis: {reply!r}")
        return int(reply[1:])


redis = Redis(os.environ.get("REDIS_HOST", "redis"), int(os.environ.get("REDIS_PORT", "6379")))


@app.route("/")
def hello():
    count = redis.incr("hits")
    return f"Hello from Docker! I have been seen {count} times.\n"


@app.route("/health")
def health():
    return "ok\n"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
