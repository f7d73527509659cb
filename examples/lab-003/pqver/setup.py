# The C extension's build: compiled against libpq's headers, linked with -lpq.
import os
import subprocess

from setuptools import Extension, setup


def libpq_include_dir():
    # pg_config (libpq-dev) knows where libpq-fe.h is; Debian's default as fallback.
    try:
        return subprocess.check_output(["pg_config", "--includedir"], text=True).strip()
    except (OSError, subprocess.CalledProcessError):
        return "/usr/include/postgresql"


setup(
    ext_modules=[
        Extension(
            "pqver",
            sources=[os.path.join(os.path.dirname(__file__) or ".", "pqver.c")],
            include_dirs=[libpq_include_dir()],
            libraries=["pq"],
        )
    ]
)
