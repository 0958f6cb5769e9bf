"""Models of the scrutiny plugin, split by concept."""

from .config import BusinessArea, ScrutinySettings

__all__ = ["BusinessArea", "ScrutinySettings"]
