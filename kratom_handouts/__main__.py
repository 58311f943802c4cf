"""``python -m kratom_handouts``: the same command as ``kratom-handouts``.

``python -m`` puts the current folder first on the import path; run inside a project, a file there named
like a module (``reportlab_mods.py``, which ReportLab imports at start, or ``yaml.py``) would run as code. The
project is content, never code: the folder comes off the path before anything else is imported.
"""

import os
import sys

if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from kratom_handouts.cli import main

main()
