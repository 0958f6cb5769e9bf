"""Scrutiny: resident-led scrutiny of a social landlord's services, as a Wagtail plugin."""
