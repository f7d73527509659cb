"""The lab's Flask + Redis hit counter (LAB04, copied from Lab03)."""

import os

from flask import Flask
from redis import Redis

app = Flask(__name__)
redis = Redis(
    host=os.environ.get("REDIS_HOST", "redis"),
    port=int(os.environ.get("REDIS_PORT", "6379")),
)


@app.route("/")
def hello():
    count = redis.incr("hits")
    return f"Hello from Docker! I have been seen {count} times.\n"


@app.route("/health")
def health():
    return "ok\n"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
