from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# In local development the second factor is offered but not enforced, so the demo accounts work at once.
TWO_FACTOR_ENFORCED = env.bool("TWO_FACTOR_ENFORCED", default=False)
