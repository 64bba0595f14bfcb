# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""memoize(key): cache a function's results by its arguments (tests use it for reference data).
The cache lives for the process (TVM's also keeps a pickle file; results here are recomputed
in a new process, which only costs time)."""
import functools


def memoize(key, save_at_exit=False):
    """A decorator caching results under key and the call's arguments."""
    del save_at_exit

    def decorator(func):
        cache = {}

        @functools.wraps(func)
        def wrapped(*args):
            full_key = (key,) + tuple(args)
            if full_key not in cache:
                cache[full_key] = func(*args)
            return cache[full_key]

        return wrapped

    return decorator
