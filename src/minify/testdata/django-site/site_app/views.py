import importlib
from datetime import datetime
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.shortcuts import render


def home(request):
    return HttpResponse("hello from django")


def time(request):
    # A fixed instant in a named zone: the answer depends on the time-zone database only.
    at = datetime(2024, 7, 1, 12, 0, tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo("Asia/Tokyo"))
    return HttpResponse(at.isoformat())


def plugin(request, name):
    # A plugin loaded by name: the trace sees only the names a run used.
    module = importlib.import_module(f"plugins.{name}")
    return HttpResponse(module.render())


def page(request):
    return render(request, "page.html", {"title": "a template the probe never rendered"})
