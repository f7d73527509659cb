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
