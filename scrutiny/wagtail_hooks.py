"""The plugin's Wagtail hooks. Wagtail imports this module; each module it imports registers
its own hooks (scrutiny/admin_hooks/: menus, dashboard, log actions, record rules)."""

from .admin_hooks import dashboard, log_actions, menus, record_rules  # noqa: F401
