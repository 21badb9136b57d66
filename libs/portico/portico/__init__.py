"""The shared kit of the Portico services."""
