"""Printing and rendering, at the edge: nothing below this package knows a terminal."""
