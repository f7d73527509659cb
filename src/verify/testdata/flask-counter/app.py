"""A Flask hello + Redis hit counter, the labs' app in miniature (test fixture)."""

import os

from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello from Python!"


@app.route("/hits")
def hits():
    from redis import Redis

    redis = Redis(host=os.environ.get("REDIS_HOST", "redis"), port=6379)
    count = redis.incr("hits")
    return f"Hello World! I have been seen {count} times.\n"


@app.route("/json")
def as_json():
    return jsonify(app="counter", ok=True)


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
