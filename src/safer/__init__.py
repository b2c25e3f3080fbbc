"""safer: strategic assessments for Community Safety Partnerships, from raw data.

Data flows one way: ``sources`` read and validate inputs, the ``warehouse`` stores
them, ``analysis`` computes tidy results over Ibis tables, and ``report`` writes the
assessment. The command line (``safer ...``) drives the whole pipeline.
"""

from safer.config import Config, load_config
from safer.errors import SaferError

__all__ = ["Config", "SaferError", "load_config", "__version__"]
__version__ = "0.1.0"
