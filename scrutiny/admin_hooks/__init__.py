"""The plugin's Wagtail hooks, by concern; scrutiny/wagtail_hooks.py imports each module, which
registers its hooks as it is imported."""
