# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Graph execution through CUDA graphs (needs a runtime built with the CUDA graph executor)."""
