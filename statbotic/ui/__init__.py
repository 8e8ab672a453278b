"""The terminal: the console, prompts, menus, rendering and the screens built from them."""
