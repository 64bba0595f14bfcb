# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""ARM CPU schedules. The generic schedules parallelise and vectorise for any CPU target,
so the injective and reduction ones are those."""
from ..generic.injective import (schedule_injective, schedule_injective_from_existing, schedule_elemwise,
                                 schedule_broadcast, schedule_concatenate, schedule_reduce)
