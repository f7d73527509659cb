import os

import pqver
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return f"Hello from Flask, linked against libpq {pqver.libpq_version()}!\n"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "5000")))
