"""A short, human name for the device behind a user agent ("Firefox 128 on Linux")."""

from __future__ import annotations

from functools import lru_cache

from ua_parser import parse


@lru_cache(maxsize=1024)
def describe_device(user_agent: str) -> str:
    if not user_agent:
        return "Unknown device"
    parsed = parse(user_agent)
    agent = parsed.user_agent
    if agent is None or agent.family == "Other":
        return "Unknown device"
    browser = f"{agent.family} {agent.major}" if agent.major else agent.family
    parts = [browser]
    if parsed.os is not None and parsed.os.family != "Other":
        parts.append(f"on {parsed.os.family}")
    device = parsed.device
    if (
        device is not None
        and device.model
        and device.brand not in (None, "Generic", "Spider")
        and device.model != "Mac"
    ):
        parts.append(f"({device.model})" if device.brand == "Apple" else f"({device.brand} {device.model})")
    return " ".join(parts)
