"""A WSGI app whose worker dies about 2 s after gunicorn's master listens:
the master accepts TCP connections, no request is ever answered, and the
master exits once the worker failed to boot."""
import time

time.sleep(2)
raise RuntimeError("settings module missing: cannot load the app")
