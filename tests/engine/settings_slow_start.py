"""The test settings, but a process started while the file named by ``BOLT_TEST_SLOW_START`` exists takes three
seconds longer to start (a child's successor still starting while the test makes requests)."""

import os
import time

from tests.settings import *  # noqa: F403

if os.path.exists(os.environ.get("BOLT_TEST_SLOW_START", "/nonexistent")):
    time.sleep(3)
