"""The web side: webhook and health routes, the dashboard, the citizens' web form and Open311.

Also the web's authentication (:mod:`~bot.web.auth`: login links, sessions), the
dashboard's access policy (:mod:`~bot.web.access`), Open311's API keys
(:mod:`~bot.web.api_keys`) and its web reporters (:mod:`~bot.web.people`). A module
here may import the services, ``storage``, ``nlp``, ``config`` and the
:class:`~bot.runtime.assembly.Runtime` container — never ``handlers``,
``bot.cli`` or ``bot.bench``; the assembly (:mod:`bot.runtime.host`) mounts it.
"""
