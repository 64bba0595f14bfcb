# Licensed under the Apache License, Version 2.0 (see LICENSE).
# pytester runs small test files through pytest to check what the plugin makes
# of them; the plugin itself is loaded here too, for its markers.
pytest_plugins = ["pytester", "tvm.testing.plugin"]
