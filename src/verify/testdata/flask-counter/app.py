"""A Flask hello + Redis hit counter, the labs' app in miniature (test fixture)."""

import os
import socket

from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello from Python!"


def redis_incr(key: str) -> int:
    # Redis's wire protocol by hand: the fixture needs only INCR, and the
    # `redis` package pulls in async-timeout on Python < 3.11.3.
    host = os.environ.get("REDIS_HOST", "redis")
    with socket.create_connection((host, 6379), timeout=5) as s:
        s.sendall(f"*2\r\n$4\r\nINCR\r\n${len(key)}\r\n{key}\r\n".encode())
        reply = s.recv(64).decode()
    if not reply.startswith(":"):
        raise RuntimeError(f"redis said {reply!r}")
    return int(reply[1:].strip())


@app.route("/hits")
def hits():
    count = redis_incr("hits")
    return f"Hello World! I have been seen {count} times.\n"


@app.route("/json")
def as_json():
    return jsonify(app="counter", ok=True)


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
