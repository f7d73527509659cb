# The lab's app, tested with Flask's test client (no server, no network).
from app import app


def test_hello_returns_the_greeting():
    response = app.test_client().get("/")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "Hello from Python!"


def test_unknown_path_is_404():
    assert app.test_client().get("/nope").status_code == 404
