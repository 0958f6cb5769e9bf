"""What the public pages answer: each page model's routes and context.

The page models (scrutiny.models.pages, programme, outcomes) declare their fields, panels and
routes; each route is one line that asks for the function registered here under
"<page model>.<route>" (scrutiny.models.handlers), so the models import nothing from the
forms, pipeline, selectors and reports these functions use. Every public form passes through
one guard (`guard.FormGuard`): the address's hourly limit, the field only robots fill, and the
429 and 400 pages.

Importing this package registers every function; `ScrutinyConfig.ready` does so.
"""

from . import calls, membership, outcomes, petitions, programme  # noqa: F401
