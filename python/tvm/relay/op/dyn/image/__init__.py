# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""dyn.image.*: image operators whose output size is a tensor."""
from . import _make  # noqa: F401
from . import _image  # noqa: F401
