"""Runs `docker-compose config` (Debian's compose 1.29, in process) for many
compose files: starting docker-compose once per file costs seconds on a busy
machine. Reads a JSON list of {dir, env, profiles} on stdin; prints a JSON
list of {ok, services | error}. Command strings are split with shlex, as
docker-py splits them when it creates the container."""
import contextlib
import io
import json
import os
import shlex
import sys

import yaml
from compose.cli.main import main

def unescape(value):
    """`config` escapes `$` as `$$` again so that its output can be read back."""
    if isinstance(value, str):
        return value.replace("$$", "$")
    if isinstance(value, list):
        return [unescape(v) for v in value]
    if isinstance(value, dict):
        return {k: unescape(v) for k, v in value.items()}
    return value


results = []
for case in json.load(sys.stdin):
    os.environ.clear()
    os.environ.update(case["env"])
    os.chdir(case["dir"])
    argv = ["docker-compose"]
    for p in case["profiles"]:
        argv += ["--profile", p]
    sys.argv = argv + ["-f", "docker-compose.yml", "config"]
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main()
        except SystemExit as e:
            code = e.code or 0
    if code != 0:
        results.append({"ok": False, "error": err.getvalue() or "exit %s" % code})
        continue
    doc = unescape(yaml.safe_load(out.getvalue()))
    for svc in (doc.get("services") or {}).values():
        if isinstance(svc.get("command"), str):
            svc["command"] = shlex.split(svc["command"])
    results.append({"ok": True, "services": doc.get("services") or {}})
sys.__stdout__.write(json.dumps(results))
