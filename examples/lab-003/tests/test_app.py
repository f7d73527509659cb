import re

import pqver
from app import app


def test_pqver_reports_a_libpq_version():
    assert re.fullmatch(r"\d+\.\d+", pqver.libpq_version())


def test_hello_names_the_libpq_version():
    body = app.test_client().get("/").get_data(as_text=True)
    assert body == f"Hello from Flask, linked against libpq {pqver.libpq_version()}!\n"
