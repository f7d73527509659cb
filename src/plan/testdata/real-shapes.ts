/**
 * Fixtures in the shapes real projects have and the first optimize could not
 * handle (#15), each written for these tests: a multi-target Dockerfile with a
 * development stage last, heredocs and a `# syntax=` line, whose compose file
 * builds `target: builder`; a Django-style production Dockerfile with an
 * APP_HOME, an entrypoint wrapper that uses netcat, and a chown; a Python app
 * whose final stage copies a Node frontend build.
 */
import type { Fixture } from "./fixtures.js";

const FLASK_READY = `import os

from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    # Reads a file written by a heredoc step of the Dockerfile: proves the step ran where the app lives.
    with open(os.path.join(os.environ["APP_HOME"], "run", "ready")) as f:
        return "ready: " + f.read().strip()


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000)
`;

/** Multi-target: the runtime is `builder`, the last stage is a development stage (Alpine steps in heredocs). */
export const multiTarget: Fixture = {
  "requirements.txt": "flask==3.1.3\n",
  "app.py": FLASK_READY,
  Dockerfile: `# syntax=docker/dockerfile:1.4
FROM python:3.11-slim AS builder
ENV APP_HOME=/srv/app
WORKDIR $APP_HOME
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN <<EOF
mkdir -p $APP_HOME/run
echo yes > $APP_HOME/run/ready
EOF
EXPOSE 8000
CMD ["python", "app.py"]

FROM builder AS dev-envs
RUN <<EOF
apk update
apk add git
EOF
CMD ["python", "app.py"]
`,
  "compose.yaml": `services:
  web:
    build:
      context: .
      target: builder
    ports:
      - "8000:8000"
`,
};

const ENTRYPOINT_SH = `#!/bin/sh
# Waits for the database like the usual Django entrypoint, when one is configured.
if [ -n "$DATABASE_HOST" ]; then
  while ! nc -z "$DATABASE_HOST" "\${DATABASE_PORT:-5432}"; do sleep 0.1; done
fi
exec "$@"
`;

/** A Django production Dockerfile: APP_HOME, a runtime apt package the entrypoint uses, ENTRYPOINT wrapper, chown. */
export const djangoAppHome: Fixture = {
  "requirements.txt": "Django==5.2.17\ngunicorn==26.2.0\n",
  "manage.py": `#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_app.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
`,
  "site_app/__init__.py": "",
  "site_app/settings.py": `from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "fixture-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.staticfiles"]
ROOT_URLCONF = "site_app.urls"
USE_TZ = True
TIME_ZONE = "Europe/Berlin"
MEDIA_ROOT = BASE_DIR / "mediafiles"
STATIC_URL = "/static/"
WSGI_APPLICATION = "site_app.wsgi.application"
`,
  "site_app/urls.py": `import os
import uuid
import zoneinfo
from datetime import datetime

from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


def health(request):
    return HttpResponse("ok")


def now(request):
    return HttpResponse(datetime.now(zoneinfo.ZoneInfo(settings.TIME_ZONE)).strftime("%Z"))


@csrf_exempt
def upload(request):
    name = os.path.join(settings.MEDIA_ROOT, uuid.uuid4().hex)
    with open(name, "wb") as f:
        f.write(request.body or b"x")
    return HttpResponse("stored", status=201)


urlpatterns = [path("healthz", health), path("now", now), path("upload", upload)]
`,
  "site_app/wsgi.py": `import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_app.settings")
application = get_wsgi_application()
`,
  "entrypoint.sh": ENTRYPOINT_SH,
  Dockerfile: `FROM python:3.11-slim
ENV HOME=/home/app
ENV APP_HOME=/home/app/web
RUN mkdir -p $APP_HOME/mediafiles
WORKDIR $APP_HOME
RUN apt-get update && apt-get install -y --no-install-recommends netcat && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY ./entrypoint.sh .
RUN sed -i 's/\\r$//g' $APP_HOME/entrypoint.sh && chmod +x $APP_HOME/entrypoint.sh
COPY . $APP_HOME
RUN chown -R 1000:1000 $APP_HOME
EXPOSE 8000
ENTRYPOINT ["/home/app/web/entrypoint.sh"]
CMD ["gunicorn", "site_app.wsgi:application", "--bind", "0.0.0.0:8000"]
`,
};

/** A Python app whose final stage copies a Node frontend build: that stage stays. */
export const withFrontendStage: Fixture = {
  "requirements.txt": "flask==3.1.3\n",
  "app.py": FLASK_READY,
  "frontend/package.json": '{ "name": "fe", "version": "1.0.0", "scripts": { "build": "node build.js" } }\n',
  "frontend/build.js":
    "require('fs').mkdirSync('dist', { recursive: true }); require('fs').writeFileSync('dist/index.html', 'hi');\n",
  Dockerfile: `FROM node:22-slim AS frontend
WORKDIR /fe
COPY frontend/ .
RUN <<EOF
npm run build
EOF

FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
COPY --from=frontend /fe/dist ./static
EXPOSE 8000
CMD ["python", "app.py"]
`,
};

/** A hit counter whose only route changes state: a HEALTHCHECK on it would change the count. */
export const stateRouteCounter: Fixture = {
  "requirements.txt": "flask==3.1.3\n",
  "app.py": `from flask import Flask

app = Flask(__name__)
count = 0


@app.route("/")
def hit():
    global count
    count += 1
    return f"hits: {count}"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
`,
};

/** A NestJS-shaped app (nest build -> dist/main.js) whose Dockerfile starts it through `sh -c "npm run start:prod"`. */
export const nestShaped: Fixture = {
  "package.json": `{
  "name": "nest-shaped",
  "version": "1.0.0",
  "scripts": { "build": "tsc -p tsconfig.json", "start:prod": "node dist/main" },
  "devDependencies": { "typescript": "5.6.3" }
}
`,
  "tsconfig.json": '{ "compilerOptions": { "outDir": "dist", "rootDir": "src", "module": "commonjs", "target": "es2022" } }\n',
  "src/main.ts": `import { createServer } from "node:http";

createServer((req, res) => res.end(req.url === "/health" ? "ok" : "nest-shaped")).listen(3000);
`,
  Dockerfile: `FROM node:22-slim
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm install
COPY . .
RUN npm run build
EXPOSE 3000
CMD ["sh", "-c", "npm run start:prod"]
`,
};

/**
 * A project in a sub-folder: the root holds the Dockerfile (`COPY service /service`),
 * service/ holds the app and its requirements.txt, and scripts/ a helper script
 * (a second folder with Python in it, so only the Dockerfile's COPY tells which is the app).
 */
export const serviceSubfolder: Fixture = {
  "README.md": "# Reading list\n\nThe web service is in service/.\n",
  "scripts/seed.py": 'print("seeding the reading list")\n',
  "service/requirements.txt": "flask==3.1.3\n",
  "service/app.py": `import os

from flask import Flask, jsonify

app = Flask(__name__)
BOOKS = ["Dune", "Emma"]


@app.route("/health")
def health():
    return "ok"


@app.route("/books")
def books():
    return jsonify(books=BOOKS, count=len(BOOKS))


@app.route("/cache")
def cache():
    # The folder the Dockerfile's mkdir-only step makes: there in every tier, distroless included.
    return "yes" if os.path.isdir("/var/cache/books") else "no"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000)
`,
  Dockerfile: `FROM python:3.11-slim
COPY service /service
WORKDIR /service
RUN pip install --no-cache-dir -r requirements.txt
RUN mkdir -p /var/cache/books
EXPOSE 8000
CMD ["python", "app.py"]
`,
};

/**
 * The compose service's `command` is what runs (awesome-compose's nginx-wsgi-flask shape):
 * flask/Dockerfile ends in `CMD python app.py`, but app.py has no __main__ guard (that CMD
 * would exit at once), and compose runs gunicorn on 8000 and health-checks a route named
 * /flask-health-check with curl. An nginx service beside it builds its own folder. The
 * Dockerfile also keeps a no-op `RUN export`, and log files set up as root then chowned
 * in a separate RUN.
 */
export const composeCommand: Fixture = {
  "compose.yaml": `services:
  nginx-proxy:
    build: nginx
    ports:
      - "80:80"
    depends_on:
      - flask-app
  flask-app:
    build: flask
    restart: always
    ports:
      - '8000:8000'
    healthcheck:
      test: ["CMD-SHELL", "curl --silent --fail localhost:8000/flask-health-check || exit 1"]
      interval: 10s
    command: gunicorn -w 2 -t 60 -b 0.0.0.0:8000 app:app
`,
  "nginx/Dockerfile": "FROM nginx:1.27\nCOPY default.conf /etc/nginx/conf.d/default.conf\n",
  "nginx/default.conf": "server { listen 80; location / { proxy_pass http://flask-app:8000; } }\n",
  "flask/requirements.txt": "flask==3.1.3\ngunicorn==26.2.0\n",
  "flask/wsgi.py": "from app import app\n\nif __name__ == '__main__':\n    app.run()\n",
  "flask/app.py": `from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello World!"


@app.route("/info")
def info():
    return jsonify(host=request.headers.get("Host"), agent=request.headers.get("User-Agent"))


@app.route("/flask-health-check")
def flask_health_check():
    return "success"


@app.route("/log", methods=["POST"])
def log():
    # The file the Dockerfile made as root and then chowned to its user.
    with open("/var/log/flask-app/flask-app.err.log", "a") as f:
        f.write("event\\n")
    with open("/var/log/flask-app/flask-app.err.log") as f:
        return str(sum(1 for _ in f)), 201
`,
  "flask/Dockerfile": `FROM python:3.11-alpine
RUN apk add curl
RUN adduser -D nonroot
RUN mkdir -p /var/log/flask-app && touch /var/log/flask-app/flask-app.err.log
RUN chown -R nonroot:nonroot /var/log/flask-app
WORKDIR /home/app
USER nonroot
COPY --chown=nonroot:nonroot . .
ENV VIRTUAL_ENV=/home/app/venv
RUN python -m venv $VIRTUAL_ENV
ENV PATH="$VIRTUAL_ENV/bin:$PATH"
RUN export FLASK_APP=app.py
RUN pip install -r requirements.txt
EXPOSE 5000
CMD ["python", "app.py"]
`,
};
