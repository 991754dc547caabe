"""A fleet of simulated charge points, for demos, load runs and end-to-end tests."""
