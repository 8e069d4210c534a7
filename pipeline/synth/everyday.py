"""Everyday phrasings: 24 more templates per intent, asked plainly with the words people usually
use for that request ("imposta la sveglia", "che tempo fa a {city}").

MASSIVE's crowd workers mostly ask plainly, so most of ITALIC's sentences of one intent share its
usual words while each is worded anew. The varied templates alone (`pipeline.synth.templates`) did
not: their held-out phrasings shared so few words with the training ones that a text classifier
given the true transcripts reached only about 0.63 on held-out phrasings, a ceiling no listener could
pass. Mixed in and dealt into the same held-out groups, these keep every held-out sentence a phrasing
training never saw while its key words, as on ITALIC, mostly occur in training sentences.
"""

from __future__ import annotations

from pipeline.synth.everyday_a import EVERYDAY_ALARM_TO_GENERAL
from pipeline.synth.everyday_b import EVERYDAY_IOT_TO_MUSIC
from pipeline.synth.everyday_c import EVERYDAY_NEWS_TO_RECOMMENDATION
from pipeline.synth.everyday_d import EVERYDAY_SOCIAL_TO_WEATHER

EVERYDAY_PER_INTENT = 24

EVERYDAY: dict[str, tuple[str, ...]] = {
    **EVERYDAY_ALARM_TO_GENERAL,
    **EVERYDAY_IOT_TO_MUSIC,
    **EVERYDAY_NEWS_TO_RECOMMENDATION,
    **EVERYDAY_SOCIAL_TO_WEATHER,
}
