/**
 * A Django project in the layout `django-admin startproject mysite .` makes
 * (manage.py, mysite/settings.py, urls.py, wsgi.py, asgi.py), written for
 * these tests, with what a first deployment adds: a `pages` app with a
 * template page and a CSS file, STATIC_ROOT for collectstatic with Django's
 * manifest storage (the page links the hashed name, so it cannot render
 * without collectstatic), the admin, USE_TZ with a time zone, and the secret
 * key and allowed hosts read from the environment. The host's package index
 * has no whitenoise, so the URLconf serves STATIC_ROOT with
 * django.views.static.serve; `withWhitenoise` is the whitenoise shape for the
 * plans (no engine).
 */
import type { Fixture } from "./fixtures.js";

const MANAGE = `#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
`;

const SETTINGS = `import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "mysite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "mysite.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names: {% static %} needs the manifest that collectstatic writes.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
`;

const URLS = `from django.conf import settings
from django.contrib import admin
from django.urls import path, re_path
from django.views.static import serve

from pages import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", views.home, name="home"),
    # The collected files, served by Django itself (no whitenoise on this index).
    re_path(r"^static/(?P<path>.*)$", serve, {"document_root": settings.STATIC_ROOT}),
]
`;

const WSGI = `"""WSGI config for mysite."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")

application = get_wsgi_application()
`;

const ASGI = `"""ASGI config for mysite."""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")

application = get_asgi_application()
`;

export const djangoFresh: Fixture = {
  "requirements.txt": "Django==5.2.17\ngunicorn==26.2.0\n",
  "manage.py": MANAGE,
  "mysite/__init__.py": "",
  "mysite/settings.py": SETTINGS,
  "mysite/urls.py": URLS,
  "mysite/wsgi.py": WSGI,
  "mysite/asgi.py": ASGI,
  "pages/__init__.py": "",
  "pages/apps.py": `from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
`,
  "pages/views.py": `from django.shortcuts import render
from django.utils import timezone


def home(request):
    # Local time in TIME_ZONE: needs the time-zone database in the image.
    zone = timezone.get_current_timezone_name()
    return render(request, "pages/home.html", {"now": timezone.localtime(), "zone": zone})
`,
  "pages/templates/pages/home.html": `{% load static %}<!doctype html>
<html lang="en">
<head><title>mysite</title><link rel="stylesheet" href="{% static 'pages/site.css' %}"></head>
<body>
<h1>Hello from mysite</h1>
<p>It is {{ now|date:"H:i T" }} in {{ zone }}.</p>
</body>
</html>
`,
  "pages/static/pages/site.css": "body { font-family: sans-serif; color: #234; }\n",
};

/** The same project with whitenoise serving the collected files (plans only: no whitenoise wheel here). */
export const djangoWithWhitenoise: Fixture = {
  ...djangoFresh,
  "requirements.txt": "Django==5.2.17\ngunicorn==26.2.0\nwhitenoise==6.9.0\n",
  "mysite/settings.py": SETTINGS.replace(
    '    "django.middleware.security.SecurityMiddleware",\n',
    '    "django.middleware.security.SecurityMiddleware",\n    "whitenoise.middleware.WhiteNoiseMiddleware",\n',
  ),
  "mysite/urls.py": URLS.replace(/\n {4}# The collected[\s\S]*?\n(?=\])/, "\n"),
};

/** ASGI with uvicorn, no STATIC_ROOT, and hosts no probe passes (DEBUG off, one public name). */
export const djangoAsgi: Fixture = {
  ...djangoFresh,
  "requirements.txt": "Django==5.2.17\nuvicorn==0.54.0\n",
  "mysite/settings.py": SETTINGS.replace(/^STATIC_ROOT = .*\n/m, "")
    .replace(/^STORAGES = \{[\s\S]*?\n\}\n/m, "")
    .replace(/^ALLOWED_HOSTS = .*$/m, 'ALLOWED_HOSTS = ["mysite.example", "127.0.0.1"]'),
};

/** No server among the requirements: only manage.py runserver is left. */
export const djangoNoServer: Fixture = {
  ...djangoFresh,
  "requirements.txt": "Django==5.2.17\n",
};
