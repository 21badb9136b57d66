"""What `make run` prints before starting the suite."""

import os

from portico.settings import SERVICE_PORTS, var_dir


def main() -> None:
    lines = ["", "Portico is starting:"]
    for service, port in SERVICE_PORTS.items():
        lines.append(f"  {service:<14} http://127.0.0.1:{port}")
    lines += [
        "",
        "  Portal:        http://127.0.0.1:8000",
        "  Demo logins:   demo, alice, bob (each has a welcome email with a set-password link)",
        f"  Emails:        {var_dir() / 'mail'} (every email the suite sends, as .eml files)",
        f"  Broker:        {os.environ.get('BROKER_URL', 'amqp://guest:guest@127.0.0.1:5672//')}",
        "  Operator API:  export TOKEN=$(.venv/bin/portico operator-token)",
        "",
    ]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
