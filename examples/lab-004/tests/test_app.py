import os
import subprocess
import sys

APP = os.path.join(os.path.dirname(__file__), "..", "app.py")


def test_prints_the_greeting():
    out = subprocess.run([sys.executable, APP], capture_output=True, text=True, check=True).stdout
    assert out == "Hello from a Python app running on Debian!\n"
