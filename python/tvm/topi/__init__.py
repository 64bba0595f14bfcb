# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""TOPI, the operator library: tensor-expression definitions of common operators."""
from . import nn
from . import image
