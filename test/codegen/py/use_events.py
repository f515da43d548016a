"""Type-checks under mypy --strict and runs: the typed capture of the golden
catalog as an application would call it.  At run time, posthog is the
recording stand-in beside this file; the calls are printed as JSON."""
import json
from datetime import datetime, timezone

import events
import posthog

events.capture("checkout-completed", distinct_id="u1", properties={"amount": 12.5, "currency": "EUR", "order_id": "o-1"})
events.capture(
    "checkout-completed",
    distinct_id="u1",
    properties={
        "amount": 3,
        "currency": "EUR",
        "order_id": "o-2",
        "order-id": 7,
        "placed at": datetime(2024, 2, 29, 12, 0, tzinfo=timezone.utc),
        "is-gift": True,
        "$set": {"plan": "pro"},
        "say \"hi\" \\ ok": "hi",
    },
    extra={"$current_url": "https://example.com/cart", "amount": "overridden by the typed one"},
    timestamp=datetime(2024, 3, 1, tzinfo=timezone.utc),
)
events.capture("checkout completed", properties={"currency": "EUR", "order_id": "o-3", "source": "web", "amount": "12.5"})
events.capture("signup")
events.capture("$pageview", distinct_id="u2", properties={"$current_url": "https://example.com"})
props: events.N3dSecure = {"currency": "EUR", "source": "app", "1st touch": "2024-01-01"}
events.capture("3d secure", properties=props)
none_props: events.None_ = {"anything": [1, 2]}
events.capture("None", properties=none_props)


class Client:
    """A posthog.Posthog instance, as far as capture goes."""

    def __init__(self) -> None:
        self.calls: list[dict[str, object]] = []

    def capture(self, event: str, **kwargs: object) -> str:
        self.calls.append({"event": event, **kwargs})
        return "uuid-from-client"


client = Client()
events.use_client(client)
result = events.capture("type", distinct_id="u3", properties={"currency": "USD", "source": "web"})
print(json.dumps({"module": posthog.calls, "client": client.calls, "client_result": result}, default=str, sort_keys=True))
