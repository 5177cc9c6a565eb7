"""Wiring stages and the store together: imports now, cycles later."""
