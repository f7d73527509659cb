"""An HTML site: a page linking a stylesheet, a script, an image, a form and
another page; a page with a CSRF token and the current time; an upload form
that saves into media/; a slow route."""
import os
import secrets
import time
from datetime import datetime, timezone

from flask import Flask, request, send_from_directory

app = Flask(__name__, static_folder=None)
HERE = os.path.dirname(os.path.abspath(__file__))

PAGE = """<!doctype html>
<html><head><title>Proof site</title>
<link rel="stylesheet" href="/static/app.css">
<script src="static/app.js"></script></head>
<body><h1>Proof site</h1>
<img src="/static/logo.svg" alt="logo">
<a href="/about">About</a> <a href="/form">Sign up</a> <a href="/upload">Upload</a>
<a href="https://example.invalid/elsewhere">elsewhere</a>
<form action="/search" method="get"><input name="q"></form>
</body></html>
"""


@app.get("/")
def index():
    return PAGE


@app.get("/about")
def about():
    return "<!doctype html><html><body><p>About this site.</p><a href='/'>home</a></body></html>"


@app.get("/form")
def form():
    # What a framework's form page holds: a fresh token and the time it was made.
    token = secrets.token_hex(16)
    now = datetime.now(timezone.utc).isoformat()
    return (
        "<!doctype html><html><body><form method='post' action='/form'>"
        f"<input type='hidden' name='csrf_token' value='{token}'>"
        f"<p>Generated at {now}</p><input name='email'></form></body></html>"
    )


@app.get("/upload")
def upload_page():
    return (
        "<!doctype html><html><body><form method='post' action='/upload' enctype='multipart/form-data'>"
        "<input name='title' value='notes'><input type='file' name='doc'></form></body></html>"
    )


@app.post("/upload")
def upload():
    # Saved where the app's uploads go: a folder the app user must be able to write.
    f = request.files["doc"]
    data = f.read()
    with open(os.path.join(HERE, "media", f"{request.form['title']}.txt"), "wb") as out:
        out.write(data)
    return {"saved": len(data), "title": request.form["title"]}


@app.get("/search")
def search():
    return {"query": request.args.get("q", ""), "results": []}


@app.get("/slow")
def slow():
    time.sleep(float(os.environ.get("SLOW_SECONDS", "6")))
    return "finally"


@app.get("/static/<path:name>")
def static_file(name):
    return send_from_directory(os.path.join(HERE, "static"), name)
