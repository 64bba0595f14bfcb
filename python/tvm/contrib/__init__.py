# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Helpers around the compiler: the system C compiler, ..."""
