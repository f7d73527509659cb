"""An app that needs its configuration from the environment."""
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

GREETING = os.environ.get("GREETING")
if not GREETING:
    sys.exit("GREETING is not set: configure the app with GREETING=...")


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"{GREETING}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


HTTPServer(("0.0.0.0", 8000), Handler).serve_forever()
