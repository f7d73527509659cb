# Unit tests of the hit counter: Redis is replaced by an in-memory counter so
# that they run in the image's builder stage, where no Redis is running.
import main


class FakeRedis:
    def __init__(self):
        self.values = {}

    def incr(self, key):
        self.values[key] = self.values.get(key, 0) + 1
        return self.values[key]


def test_counter_goes_up(monkeypatch):
    monkeypatch.setattr(main, "redis", FakeRedis())
    client = main.app.test_client()
    bodies = [client.get("/").get_data(as_text=True) for _ in range(3)]
    assert bodies == [f"Hello from Docker! I have been seen {n} times.\n" for n in (1, 2, 3)]


def test_health_needs_no_redis(monkeypatch):
    monkeypatch.setattr(main, "redis", None)
    response = main.app.test_client().get("/health")
    assert response.status_code == 200


def test_incr_speaks_resp_to_a_server():
    # A one-connection stand-in for Redis on loopback: checks the request, answers ":7".
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    seen = []

    def serve():
        conn, _ = server.accept()
        with conn:
            seen.append(conn.recv(1024))
            conn.sendall(b":7\r\n")

    thread = threading.Thread(target=serve)
    thread.start()
    try:
        client = main.Redis("127.0.0.1", server.getsockname()[1])
        assert client.incr("hits") == 7
    finally:
        thread.join(timeout=5)
        server.close()
    assert seen == [b"*2\r\n$4\r\nINCR\r\n$4\r\nhits\r\n"]
