"""Smart charging: charging profiles, sites and their allocation, the grid's limits."""
