# Which requirements of the wheels in a folder hold for another interpreter.
#
# pip evaluates environment markers with the interpreter it runs on, even with
# --python-version; a base image whose CPython differs in its micro version
# (3.11.2 against the host's 3.11.7) can need projects the host's pip skipped
# (redis: async-timeout; python_full_version < '3.11.3'). This script reads
# each wheel's METADATA and evaluates its Requires-Dist markers for the target
# version, with pip's own vendored packaging (no other dependency).
#
# Usage: python3 wheel-markers.py DIR TARGET_VERSION
# Prints JSON: {"host": "3.11.7", "needs": [{"dist", "version", "requirement", "project"}]}
# where each need is true on the target and names a project with no wheel in DIR.
import json
import os
import platform
import re
import sys
import zipfile
from email.parser import Parser

from pip._vendor.packaging.markers import default_environment
from pip._vendor.packaging.requirements import InvalidRequirement, Requirement


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def metadata_of(path):
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            parts = n.split("/")
            if len(parts) == 2 and parts[0].endswith(".dist-info") and parts[1] == "METADATA":
                return Parser().parsestr(z.read(n).decode("utf-8", "replace"), headersonly=True)
    return None


def main():
    folder, target = sys.argv[1], sys.argv[2]
    env = default_environment()
    major_minor = ".".join(target.split(".")[:2])
    env["python_full_version"] = target
    env["python_version"] = major_minor
    if env.get("implementation_name") == "cpython":
        env["implementation_version"] = target
    # No extras: a build installs the plain requirements.
    env["extra"] = ""

    wheels = sorted(f for f in os.listdir(folder) if f.endswith(".whl"))
    present = {normalize(f.split("-")[0]) for f in wheels}
    needs = []
    seen = set()
    for f in wheels:
        try:
            meta = metadata_of(os.path.join(folder, f))
        except (OSError, zipfile.BadZipFile):
            continue
        if meta is None:
            continue
        dist = meta.get("Name") or f.split("-")[0]
        version = meta.get("Version") or ""
        for line in meta.get_all("Requires-Dist") or []:
            try:
                req = Requirement(line)
            except InvalidRequirement:
                continue
            if req.marker is None or not req.marker.evaluate(env):
                # Unconditional requirements pip has already resolved for the host.
                continue
            project = normalize(req.name)
            if project in present:
                continue
            text = req.name + (f"[{','.join(sorted(req.extras))}]" if req.extras else "") + str(req.specifier)
            key = (dist, text)
            if key in seen:
                continue
            seen.add(key)
            needs.append({"dist": dist, "version": version, "requirement": text, "project": project})
    json.dump({"host": platform.python_version(), "needs": needs}, sys.stdout)


main()
