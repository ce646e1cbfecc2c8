"""Natural-language processing for minqing: normalise, segment, classify, severity.

Pure functions; the only I/O is loading the dictionaries and the lexicon
(``config/userdict.txt``, ``config/lexicon.toml``) once per process.
"""

from nlp.classify import (
    UNKNOWN,
    UNSURE_BELOW,
    Alternative,
    Classification,
    EmptyTextError,
    classify,
)
from nlp.lexicon import BUREAUS, ROOMS, Lexicon, LexiconError, default_lexicon, load_lexicon
from nlp.normalize import mask_sensitive, normalize, set_text_logging, text_for_log
from nlp.segment import segment
from nlp.severity import Severity, assess_severity

__all__ = [
    "BUREAUS",
    "ROOMS",
    "UNKNOWN",
    "UNSURE_BELOW",
    "Alternative",
    "Classification",
    "EmptyTextError",
    "Lexicon",
    "LexiconError",
    "Severity",
    "assess_severity",
    "classify",
    "default_lexicon",
    "load_lexicon",
    "mask_sensitive",
    "normalize",
    "segment",
    "set_text_logging",
    "text_for_log",
]
