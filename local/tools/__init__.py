"""Tools around the runtime: counting AWS calls and import times, and the console in Chromium
(its pictures and its benchmark)."""
