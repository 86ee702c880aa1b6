"""Command handlers, one module per group (like Redis's t_string.c, t_list.c ...)."""
