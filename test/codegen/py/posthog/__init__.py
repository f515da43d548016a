"""Stands in for posthog-python's module-level API at run time: capture()
records its arguments."""
from typing import Any, Dict, List, Optional

calls: List[Dict[str, Any]] = []


def capture(event: str, **kwargs: Any) -> Optional[str]:
    calls.append({"event": event, **kwargs})
    return "uuid-%d" % len(calls)
