"""Lua scripting: the lupa runtime (lua.py) and the libraries Redis ships to scripts (libs.py)."""
