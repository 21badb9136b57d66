pytest_plugins = ["portico.testing"]
